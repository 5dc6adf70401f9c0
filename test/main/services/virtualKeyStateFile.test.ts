import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualAuthenticatorState } from '../../../src/ctap/virtual/index.js';
import { loadVirtualKeyState, VirtualKeyStateFile } from '../../../src/main/services/virtualKeyStateFile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-state-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const state = (signCount: number) =>
  ({
    format: 'latchkey-virtual-authenticator',
    version: 1,
    profile: 'yubikey5',
    signCount,
  }) as unknown as VirtualAuthenticatorState;

describe('the virtual key state file', () => {
  it('is written when the state changed and only then', async () => {
    const path = join(dir, 'key.json');
    let current = state(0);
    const file = new VirtualKeyStateFile(path, { toJSON: () => current });
    expect(await file.saveIfChanged()).toBe(true);
    expect(await file.saveIfChanged()).toBe(false);
    current = state(1);
    expect(await file.saveIfChanged()).toBe(true);
    expect(await loadVirtualKeyState(path)).toEqual(state(1));
  });

  it('ends with the latest state when saves overlap', async () => {
    const path = join(dir, 'key.json');
    let n = 0;
    const file = new VirtualKeyStateFile(path, { toJSON: () => state(++n) });
    await Promise.all([file.saveIfChanged(), file.saveIfChanged(), file.saveIfChanged()]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(state(3));
  });

  it('loads nothing for a missing file and refuses files that are not a virtual key state', async () => {
    expect(await loadVirtualKeyState(join(dir, 'none.json'))).toBeUndefined();
    const notJson = join(dir, 'a.json');
    await writeFile(notJson, 'not json');
    await expect(loadVirtualKeyState(notJson)).rejects.toThrow(/is not JSON .*expected a virtual key state/);
    const other = join(dir, 'b.json');
    await writeFile(other, '{"format":"latchkey-vault"}');
    await expect(loadVirtualKeyState(other)).rejects.toThrow(
      'has format "latchkey-vault", expected "latchkey-virtual-authenticator"',
    );
  });
});
