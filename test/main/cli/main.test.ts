import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFailure, main, registerCommand } from '../../../src/main/cli/main.js';
import { FileLockTimeoutError } from '../../../src/main/store/fileLock.js';
import { CtapError, TransportError } from '../../../src/ctap/errors.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('latchkey command line', () => {
  it('prints the version from package.json', async () => {
    const c = capture();
    expect(await main(['version'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses an unknown command with exit code 2 and a pointer to help', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/unknown command "frobnicate".*latchkey help/);
  });

  it('prints a failing command\u2019s error as one sentence a user can act on, not a stack trace', async () => {
    registerCommand('test-fails', {
      summary: 'fails',
      usage: '',
      run: async () => {
        throw new CtapError(0x31);
      },
    });
    registerCommand('test-removed', {
      summary: 'fails',
      usage: '',
      run: async () => {
        throw new TransportError('closed', 'gone');
      },
    });
    const c = capture();
    expect(await main(['test-fails'], c.io)).toBe(1);
    expect(await main(['test-removed'], c.io)).toBe(1);
    expect(c.err).toEqual(['latchkey test-fails: Wrong PIN.', 'latchkey test-removed: The key was removed.']);
  });

  it('lists registered commands in help', async () => {
    const c = capture();
    expect(await main(['help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/test-fails/);
  });

  it('says which process holds a busy data folder, in one sentence with exit code 1', () => {
    const failure = describeFailure(
      new FileLockTimeoutError('/data/relying-party.json.lock', 'process 4242 on host', 10_000),
    );
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toMatch(
      /relying-party\.json\.lock has been held by process 4242 on host .* another Latchkey is writing to this data folder/,
    );
  });
});

describe('latchkey as a process', () => {
  it('ends quietly when the reader of its output goes away (latchkey help | head -1)', async () => {
    const bin = fileURLToPath(new URL('../../../bin/latchkey.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -1`: read the first chunk, then close the pipe while the command is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
