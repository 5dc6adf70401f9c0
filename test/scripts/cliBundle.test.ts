// The compiled `latchkey` CLI: when bin/latchkey.js may use dist/, and that both the bundle and the fallback run.

import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE_PATH, CLI_INPUTS_PATH, cliBundleStaleness } from '../../scripts/cliBundle.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_NOTE = 'latchkey: running from the TypeScript sources';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-bundle-'));
  dirs.push(dir);
  return dir;
}

/** A fake checkout: one source file and, unless `built` is false, a bundle listing it; mtimes in seconds. */
async function checkout(options: { sourceAt: number; bundleAt?: number; inputs?: unknown }): Promise<URL> {
  const dir = await tempDir();
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'src/a.ts'), 'export {};\n');
  await utimes(join(dir, 'src/a.ts'), options.sourceAt, options.sourceAt);
  if (options.bundleAt !== undefined) {
    for (const file of [CLI_BUNDLE_PATH, CLI_INPUTS_PATH]) await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, CLI_BUNDLE_PATH), 'export {};\n');
    await utimes(join(dir, CLI_BUNDLE_PATH), options.bundleAt, options.bundleAt);
    const inputs = options.inputs ?? { inputs: ['src/a.ts', 'src/deleted.ts'] };
    await writeFile(join(dir, CLI_INPUTS_PATH), JSON.stringify(inputs));
  }
  return pathToFileURL(`${dir}/`);
}

function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cliBundleStaleness', () => {
  it('accepts a bundle newer than every source it lists, skipping listed sources that are gone', async () => {
    expect(cliBundleStaleness({ root: await checkout({ sourceAt: 1_000, bundleAt: 2_000 }) })).toBeUndefined();
  });

  it('names the source that changed after the bundle was built', async () => {
    const root = await checkout({ sourceAt: 3_000, bundleAt: 2_000 });
    expect(cliBundleStaleness({ root })).toBe(`src/a.ts changed after ${CLI_BUNDLE_PATH} was built`);
  });

  it('says the bundle has not been built when dist/ is empty', async () => {
    expect(cliBundleStaleness({ root: await checkout({ sourceAt: 1_000 }) })).toBe(
      `${CLI_BUNDLE_PATH} has not been built`,
    );
  });

  it('refuses a bundle whose list of sources is not a list', async () => {
    const root = await checkout({ sourceAt: 1_000, bundleAt: 2_000, inputs: { inputs: 'src/a.ts' } });
    expect(cliBundleStaleness({ root })).toBe(`${CLI_INPUTS_PATH} lists no sources`);
  });
});

describe('bin/latchkey.js', () => {
  const version = async (): Promise<string> =>
    (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('runs the compiled CLI right after npm run build:cli, silently, then from its code cache', async () => {
    const build = await run(join(ROOT, 'scripts/build-cli.mjs'), ['--quiet']);
    expect(build).toMatchObject({ code: 0, stderr: '' });
    const bundleDir = join(ROOT, dirname(CLI_BUNDLE_PATH));
    const caches = async (): Promise<string[]> => (await readdir(bundleDir)).filter((f) => f.endsWith('.cache'));
    expect(await caches()).toEqual([]);
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await run(join(ROOT, 'bin/latchkey.js'), ['version']);
      expect(result).toEqual({ code: 0, stdout: `${await version()}\n`, stderr: '' });
      expect(await caches()).toHaveLength(1);
    }
    // The native addons load on first use; from the code cache too (Node 20 loses import() callbacks there).
    const devices = await run(join(ROOT, 'bin/latchkey.js'), ['devices', '--json']);
    expect(devices.stdout + devices.stderr).not.toMatch(/dynamic import|could not be loaded/);
    expect(JSON.parse(devices.stdout)).toMatchObject({ version: 1, devices: expect.any(Array) });
  }, 60_000);

  it('falls back to the TypeScript sources with a one-line note when there is no bundle', async () => {
    // A checkout without dist/: this bin and its helper, the real sources, dependencies and package.json.
    const dir = await tempDir();
    await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    await cp(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await symlink(join(ROOT, 'src'), join(dir, 'src'));
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const result = await run(join(dir, 'bin/latchkey.js'), ['version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${await version()}\n`);
    expect(result.stderr).toBe(
      `${SOURCE_NOTE} (slower start): ${CLI_BUNDLE_PATH} has not been built; \`npm run build:cli\` compiles it.\n`,
    );
  }, 60_000);
});
