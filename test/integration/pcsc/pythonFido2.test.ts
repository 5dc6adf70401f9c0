// An independent client against our virtual card: python-fido2 registers and signs in through pcscd + vpcd, and its own server verifies.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { acquirePcscd } from '../../support/pcscd.js';
import { VPCD_READER_1, nextEvent, vpcdReaders } from './pcscEvents.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());

const SCRIPT = fileURLToPath(new URL('./python_fido2_client.py', import.meta.url));
/** Debian's python3-fido2 and python3-pyscard live in the system interpreter, not in a pyenv or venv one. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** python3 with fido2 and pyscard importable, or why not. */
function pythonFido2Missing(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(PYTHON, ['-c', 'import fido2.pcsc, smartcard'], (error, _out, stderr) =>
      resolve(error ? `python3 with fido2 and pyscard is not available (apt-get install python3-fido2 python3-pyscard): ${stderr.trim() || error.message}` : undefined),
    );
  });
}

const pythonMissing = pcscd.skipReason === undefined ? await pythonFido2Missing() : undefined;
if (pythonMissing) {
  // Nothing runs in this file then, and hooks of a file without tests do not run: let the next PC/SC file go now.
  await pcscd.release();
  if (process.env.LATCHKEY_REQUIRE_PCSC === '1') throw new Error(pythonMissing);
  console.warn(`!!! python-fido2 interoperability test skipped: ${pythonMissing}`);
}

describe.skipIf(pcscd.skipReason !== undefined || pythonMissing !== undefined)('python-fido2 against the virtual NFC card', () => {
  const service = new PcscService();
  let vpcd: VpcdClient;

  beforeAll(async () => {
    await service.start();
    await vpcdReaders(service);
    const card = new VirtualNfcCard(new VirtualAuthenticator({ profile: 'yubikey5' }), { profile: 'fido2-u2f' });
    const inserted = nextEvent(service, 'card-inserted', VPCD_READER_1, 2_000);
    vpcd = await VpcdClient.connect(card, { port: VPCD_PORTS[1] });
    await inserted;
  });
  afterAll(async () => {
    await vpcd?.close();
    service.stop();
  });

  it('registers with Fido2Client, verifies with Fido2Server, then authenticates', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(PYTHON, [SCRIPT, VPCD_READER_1], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`python-fido2 failed: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as { ok: boolean; versions: string[]; fmt: string; signCount: number };
    expect(result).toMatchObject({ ok: true, fmt: 'packed' });
    expect(result.versions).toContain('FIDO_2_0');
    expect(result.signCount).toBeGreaterThan(0);
  }, 40_000);
});
