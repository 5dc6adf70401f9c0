// `npm start` where Electron cannot run: one true paragraph, no stack trace, no promise of what does not exist yet.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

function electronInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('electron');
    return true;
  } catch {
    return false;
  }
}

/** Whether Electron's installer has put its binary where the electron package looks for it. */
function electronBinaryPresent(): boolean {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    return existsSync(join(packageDir, 'dist', readFileSync(join(packageDir, 'path.txt'), 'utf8')));
  } catch {
    return false;
  }
}

/** The environment without the variables the cases set themselves. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete env.ELECTRON_MIRROR;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
}

function runStart(
  env: NodeJS.ProcessEnv = baseEnv(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(electronInstalled())('npm start without the electron package', () => {
  it('says the desktop window is not in this checkout yet and what works instead, in one paragraph', async () => {
    const { code, stdout, stderr } = await runStart();
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('Electron is not among its dependencies');
    expect(stderr).toContain('`latchkey` command line');
    // Issue #9, point 14: neither exists yet.
    expect(stderr).not.toMatch(/UI tests|Chromium|npm install` fetches/);
  });
});

describe.skipIf(!electronInstalled() || electronBinaryPresent())(
  'npm start with the electron package but no binary',
  () => {
    it('with ELECTRON_SKIP_BINARY_DOWNLOAD set, downloads nothing and says why, in one paragraph', async () => {
      const { code, stdout, stderr } = await runStart({ ...baseEnv(), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).not.toContain('Downloading');
      expect(stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
      expect(stderr).toContain('`latchkey` command line');
    });

    it('tries Electron\u2019s download on first start and, when it fails, says so in one paragraph without a stack trace', async () => {
      // A closed local port stands in for a machine without internet: the download fails at once, deterministically.
      const { code, stdout, stderr } = await runStart({ ...baseEnv(), ELECTRON_MIRROR: 'http://127.0.0.1:65530/' });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('Downloading Electron (first start only)...');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('downloading it failed');
      expect(lines[1]).toContain('`npm test`');
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  },
);
