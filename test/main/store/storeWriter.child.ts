// A second process for the JsonStore tests: opens the store at argv[2], waits until argv[5] (ms since the epoch) so that
// its siblings start together, then adds argv[3] entries named after argv[4], one update each.

import { z } from 'zod';
import { JsonStore } from '../../../src/main/store/JsonStore.js';

const [file, count, name, startAt] = process.argv.slice(2);
const store = await JsonStore.open({
  file: file!,
  format: 'test',
  version: 1,
  schema: z.object({ format: z.literal('test'), version: z.literal(1), entries: z.array(z.string()) }),
  initial: () => ({ format: 'test' as const, version: 1 as const, entries: [] }),
  backups: 0,
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(count); i++) {
  await store.update((draft) => {
    draft.entries.push(`${name}-${i}`);
  });
}
