// The `latchkey` device commands on a real pcscd with vpcd: devices and info through main(), virtual-card as its own process.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CtapNfcDevice } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { main } from '../../../src/main/cli/main.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { acquirePcscd } from '../../support/pcscd.js';
import {
  EVENT_DEADLINE_MS,
  VPCD_READER_0,
  VPCD_READER_1,
  cardGone,
  nextEvent,
  vpcdReaders,
  usePcscTimeouts,
} from './pcscEvents.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();

const BIN = fileURLToPath(new URL('../../../bin/latchkey.js', import.meta.url));
const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';

function capture(interactive = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), interactive }, out, err };
}

describe.skipIf(pcscd.skipReason !== undefined)('latchkey devices / info / virtual-card on pcscd + vpcd', () => {
  const service = new PcscService();
  const cards: VpcdClient[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-pcsc-'));
    await service.start();
    await vpcdReaders(service);
  });
  afterEach(async () => {
    for (const card of cards.splice(0)) {
      const reader = card.port === VPCD_PORTS[0] ? VPCD_READER_0 : VPCD_READER_1;
      const removed = cardGone(service, reader);
      await card.close();
      await removed;
    }
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A virtual YubiKey 5 NFC on a vpcd reader, once pcscd has seen it. */
  async function tap(port: number = VPCD_PORTS[0]): Promise<void> {
    const reader = port === VPCD_PORTS[0] ? VPCD_READER_0 : VPCD_READER_1;
    const inserted = nextEvent(service, 'card-inserted', reader);
    cards.push(
      await VpcdClient.connect(new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' }), { port }),
    );
    await inserted;
  }

  it('devices --json lists the card with id, transport, name, AAGUID and versions', async () => {
    await tap();
    const c = capture();
    expect(await main(['devices', '--json'], c.io), c.err.join('\n')).toBe(0);
    const json = JSON.parse(c.out.join('\n')) as {
      version: number;
      devices: Record<string, unknown>[];
      transports: unknown[];
    };
    expect(json.version).toBe(1);
    expect(json.devices).toContainEqual({
      id: `nfc:${VPCD_READER_0}`,
      transport: 'nfc',
      name: 'Latchkey virtual card (YubiKey 5 Series)',
      aaguid: YUBIKEY5_AAGUID,
      model: 'YubiKey 5 Series',
      versions: expect.arrayContaining(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1']),
      reader: VPCD_READER_0,
      usb: null,
      problem: null,
    });
    expect(json.transports).toContainEqual({ transport: 'nfc', state: 'available', reason: null });

    const table = capture();
    expect(await main(['devices', '--transport', 'nfc'], table.io), table.err.join('\n')).toBe(0);
    expect(table.out[0]).toMatch(/^ID +TRANSPORT +NAME +AAGUID +VERSIONS$/);
    expect(table.out[1]).toMatch(
      new RegExp(
        `^nfc:${VPCD_READER_0} +nfc +Latchkey virtual card \\(YubiKey 5 Series\\) +${YUBIKEY5_AAGUID} +U2F_V2, FIDO_2_0`,
      ),
    );
  });

  it('info --json prints the getInfo of the chosen card; info prints it in words', async () => {
    await tap();
    const c = capture();
    expect(await main(['info', '--json', '--device', `nfc:${VPCD_READER_0}`], c.io), c.err.join('\n')).toBe(0);
    const json = JSON.parse(c.out.join('\n')) as {
      version: number;
      device: { id: string };
      info: Record<string, unknown>;
    };
    expect(json.device.id).toBe(`nfc:${VPCD_READER_0}`);
    expect(json.info).toMatchObject({
      aaguid: YUBIKEY5_AAGUID,
      versions: expect.arrayContaining(['FIDO_2_1']),
      transports: ['nfc', 'usb'],
    });
    expect(json.info.options).toMatchObject({ rk: true, up: true });

    const words = capture();
    expect(await main(['info', '--transport', 'nfc'], words.io), words.err.join('\n')).toBe(0);
    expect(words.out.join('\n')).toMatch(new RegExp(`AAGUID +${YUBIKEY5_AAGUID} \\(YubiKey 5 Series\\)`));
  });

  it('info with two keys and no --device: lists them when nobody can touch, asks for a touch when someone can', async () => {
    await tap(VPCD_PORTS[0]);
    await tap(VPCD_PORTS[1]);
    const script = capture(false);
    expect(await main(['info', '--transport', 'nfc'], script.io), script.err.join('\n')).toBe(2);
    expect(script.err.join('\n')).toMatch(
      new RegExp(
        `2 security keys are connected; choose one with --device ID:\\n  nfc:${VPCD_READER_0}  .*\\n  nfc:${VPCD_READER_1}  `,
      ),
    );
    expect(script.out).toEqual([]);

    // The virtual keys approve at once, as if touched: one of them wins.
    const person = capture(true);
    expect(await main(['info', '--json', '--transport', 'nfc'], person.io), person.err.join('\n')).toBe(0);
    expect(person.err).toEqual(['2 security keys are connected: touch the one you want (Ctrl+C to stop).']);
    expect((JSON.parse(person.out.join('\n')) as { device: { id: string } }).device.id).toMatch(
      /^nfc:Virtual PCD 00 0[01]$/,
    );
  });

  it('info without a key says so and fails', async () => {
    const c = capture();
    expect(await main(['info', '--transport', 'nfc'], c.io), c.err.join('\n')).toBe(1);
    expect(c.err[0]).toMatch(/^latchkey info: No security key found/);
  });

  it('virtual-card keeps its credentials across two runs and stops cleanly on SIGTERM', async () => {
    const state = join(dir, 'demo-key.json');
    const rp = { id: 'latchkey.localhost', name: 'Latchkey' };
    const clientDataHash = new Uint8Array(createHash('sha256').update('cli test').digest());

    const first = await runVirtualCard(state);
    expect(first.stdout).toMatch(/Latchkey virtual security key: YubiKey 5 NFC/);
    expect(first.stdout).toMatch(/For demos and tests only: it is not a security device/);
    expect(first.stdout).toMatch(
      new RegExp(`On the card reader "${VPCD_READER_1}" \\(vpcd 127\\.0\\.0\\.1:${VPCD_PORTS[1]}\\)`),
    );
    const made = await withCard(async (ctap2) =>
      ctap2.makeCredential({
        clientDataHash,
        rp,
        user: { id: Uint8Array.of(7, 7, 7), name: 'alice@example.com' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        options: { rk: true },
      }),
    );
    const credentialId = made.authData.attestedCredentialData!.credentialId;
    expect(await first.stop()).toBe(0);
    expect(first.stdout).toMatch(/Virtual card removed from the reader \(SIGTERM\)/);
    if (process.platform !== 'win32') expect((await stat(state)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({
      format: 'latchkey-virtual-authenticator',
      credentials: [{ rpId: rp.id }],
    });

    const second = await runVirtualCard(state);
    // No allowList: only a discoverable credential stored in the key's state can answer.
    const assertion = await withCard((ctap2) => ctap2.getAssertion({ rpId: rp.id, clientDataHash }));
    expect(Buffer.from(assertion.credential.id).equals(Buffer.from(credentialId))).toBe(true);
    expect(assertion.authData.signCount).toBeGreaterThan(made.authData.signCount);
    expect(await second.stop()).toBe(0);
  });

  it('a second virtual-card on an occupied reader says it is waiting, and enters the reader when the first leaves', async () => {
    const first = await runVirtualCard(join(dir, 'first-key.json'));
    const second = spawn(process.execPath, [
      BIN,
      'virtual-card',
      '--state',
      join(dir, 'second-key.json'),
      '--port',
      String(VPCD_PORTS[1]),
    ]);
    let stdout = '';
    let stderr = '';
    const output = new EventTarget();
    second.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output.dispatchEvent(new Event('data'));
    });
    second.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output.dispatchEvent(new Event('data'));
    });
    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    /** Resolves once `seen()` holds, checked on every chunk of output; fails on exit or after the deadline. */
    const until = (what: string, seen: () => boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!seen()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no "${what}" within ${EVENT_DEADLINE_MS} ms: ${stdout}${stderr}`));
        }, EVENT_DEADLINE_MS);
        const cleanup = (): void => {
          clearTimeout(timer);
          output.removeEventListener('data', check);
        };
        output.addEventListener('data', check);
        void exited.then((code) => {
          cleanup();
          reject(new Error(`virtual-card exited with ${code} before "${what}": ${stdout}${stderr}`));
        });
        check();
      });
    try {
      await until('Waiting for the card reader', () => stderr.includes('Waiting for the card reader'));
      expect(stderr).toMatch(/another card is in it \(another "latchkey virtual-card" on port 35964\?\)/);
      expect(stdout).not.toMatch(/On the card reader/);

      const inserted = nextEvent(service, 'card-inserted', VPCD_READER_1);
      expect(await first.stop()).toBe(0);
      await inserted;
      await until('On the card reader', () => stdout.includes('On the card reader'));
    } finally {
      const removed = cardGone(service, VPCD_READER_1);
      second.kill('SIGTERM');
      await exited;
      await removed;
    }
  });

  /** Opens the card on reader 00 01 through our stack, runs `use`, closes it. */
  async function withCard<T>(use: (ctap2: Ctap2) => Promise<T>): Promise<T> {
    const device = await CtapNfcDevice.open(await service.connect(VPCD_READER_1));
    try {
      return await use(await Ctap2.create(device));
    } finally {
      await device.close();
    }
  }

  /** Starts `latchkey virtual-card` on vpcd port 35964 and waits until pcscd sees the card. */
  async function runVirtualCard(state: string): Promise<{ readonly stdout: string; stop(): Promise<number | null> }> {
    const inserted = nextEvent(service, 'card-inserted', VPCD_READER_1);
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [
      BIN,
      'virtual-card',
      '--state',
      state,
      '--port',
      String(VPCD_PORTS[1]),
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await Promise.race([
      inserted,
      exited.then((code) => Promise.reject(new Error(`virtual-card exited with ${code}: ${stderr}`))),
    ]);
    return {
      get stdout() {
        return stdout;
      },
      async stop() {
        const removed = nextEvent(service, 'card-removed', VPCD_READER_1);
        child.kill('SIGTERM');
        const code = await exited;
        await removed;
        if (code !== 0) throw new Error(`virtual-card exited with ${code}: ${stderr}`);
        return code;
      },
    };
  }
});
