import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEVICES = fileURLToPath(new URL('../../../src/main/devices', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat();
}

describe('device discovery', () => {
  it('imports nothing of the virtual authenticator outside the virtual source and the vpcd link', async () => {
    const offenders: string[] = [];
    for (const file of await sources(DEVICES)) {
      const path = relative(DEVICES, file);
      if (path.startsWith('virtual/') || path.startsWith('vpcd/')) continue;
      const text = await readFile(file, 'utf8');
      if (/from '[^']*ctap\/virtual\//.test(text)) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
