// `npm start` where Electron cannot run: one true paragraph, no stack trace, no promise of what does not exist yet.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
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

function runStart(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
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
