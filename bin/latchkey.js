#!/usr/bin/env node
// The `latchkey` command: loads the TypeScript CLI through tsx's loader (packaged builds bundle it instead).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
