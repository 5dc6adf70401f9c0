// The e2e suite's global setup: builds the renderer once (out/renderer), as the app's build does.

import { build } from 'vite';

export default async function buildRenderer(): Promise<void> {
  await build({ configFile: 'src/renderer/vite.config.ts', logLevel: 'warn' });
}
