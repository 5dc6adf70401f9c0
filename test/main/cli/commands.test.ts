// The device commands' command lines, without hardware: usage errors, help, and what they say when nothing is there.

import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/main.js';

function capture(interactive = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), interactive }, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('latchkey device commands', () => {
  it('are listed in help and print their usage with --help', async () => {
    const c = capture();
    await main(['help'], c.io);
    expect(c.out.join('\n')).toMatch(
      /devices +list the security keys[\s\S]*info +show what a security key says[\s\S]*virtual-card +put a virtual security key/,
    );
    const h = capture();
    expect(await main(['info', '--help'], h.io)).toBe(0);
    expect(h.out).toEqual(['Usage: latchkey info [--device ID] [--json] [--transport usb|nfc]']);
  });

  it('refuse unknown options and bad values with exit code 2 and the usage', async () => {
    const cases: [string[], RegExp][] = [
      [['devices', '--bogus'], /^latchkey devices: Unknown option '--bogus'\.?\nUsage: latchkey devices/],
      [['devices', '--transport', 'bluetooth'], /--transport "bluetooth" is not one of usb, nfc/],
      [['info', '--device'], /Option '--device <value>' argument missing/],
      [['virtual-card'], /--state FILE is required/],
      [['virtual-card', '--state', 'x.json', '--port', '99999'], /--port "99999" is not a TCP port number/],
      [['virtual-card', '--state', 'x.json', '--profile', 'yubikey9'], /--profile "yubikey9" is not one of yubikey5/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(message);
    }
  });

  it('virtual-card refuses a state file of another kind, or of another model than --profile', async () => {
    const vault = join(dir, 'vault.json');
    await writeFile(vault, '{"format":"latchkey-vault"}');
    const c = capture();
    expect(await main(['virtual-card', '--state', vault], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/has format "latchkey-vault", expected "latchkey-virtual-authenticator"/);

    const key = join(dir, 'titan.json');
    await writeFile(key, '{"format":"latchkey-virtual-authenticator","profile":"titanK52"}');
    const p = capture();
    expect(await main(['virtual-card', '--state', key, '--profile', 'yubikey5'], p.io)).toBe(2);
    expect(p.err[0]).toMatch(/holds a "titanK52" key; leave --profile out/);
  });

  it('virtual-card says where vpcd should be when nothing listens there, and has saved the new key anyway', async () => {
    const port = await closedPort();
    const state = join(dir, 'new-key.json');
    const c = capture();
    expect(await main(['virtual-card', '--state', state, '--port', String(port)], c.io)).toBe(1);
    expect(c.err[0]).toMatch(
      new RegExp(
        `vpcd is not reachable on 127\\.0\\.0\\.1:${port} .*is pcscd running with the vsmartcard-vpcd driver\\?`,
      ),
    );
    await expect(import('node:fs/promises').then((fs) => fs.readFile(state, 'utf8'))).resolves.toMatch(
      /"format": "latchkey-virtual-authenticator"/,
    );
  });

  it('devices --json always has the same shape, with each transport and why it is unavailable', async () => {
    const c = capture();
    expect(await main(['devices', '--json', '--transport', 'usb'], c.io)).toBe(0);
    const json = JSON.parse(c.out.join('\n')) as {
      version: number;
      devices: unknown[];
      transports: { transport: string; state: string; reason: string | null }[];
    };
    expect(json.version).toBe(1);
    expect(Array.isArray(json.devices)).toBe(true);
    expect(json.transports.map((t) => [t.transport, t.state])).toEqual([
      ['usb', expect.stringMatching(/^(available|unavailable)$/)],
      ['nfc', 'off'],
    ]);
  });
});
