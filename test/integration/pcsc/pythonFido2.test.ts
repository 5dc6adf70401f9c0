// An independent client against our virtual card: python-fido2 registers and signs in through pcscd + vpcd, and its own
// server verifies; then it drives PIN, hmac-secret, credential management and config, and our client must agree with it.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { extensionMap, hmacSecretGetInput, parseHmacSecretOutput } from '../../../src/ctap/ctap2/extensions/index.js';
import { CtapNfcDevice } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { acquirePcscd } from '../../support/pcscd.js';
import { VPCD_READER_0, VPCD_READER_1, cardGone, nextEvent, vpcdReaders, usePcscTimeouts } from './pcscEvents.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();

const SCRIPT = fileURLToPath(new URL('./python_fido2_client.py', import.meta.url));
const FEATURES_SCRIPT = fileURLToPath(new URL('./python_fido2_features.py', import.meta.url));
/** Debian's python3-fido2 and python3-pyscard live in the system interpreter, not in a pyenv or venv one. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** python3 with fido2 and pyscard importable, or why not. */
function pythonFido2Missing(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(PYTHON, ['-c', 'import fido2.pcsc, smartcard'], (error, _out, stderr) =>
      resolve(
        error
          ? `python3 with fido2 and pyscard is not available (apt-get install python3-fido2 python3-pyscard): ${stderr.trim() || error.message}`
          : undefined,
      ),
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

describe.skipIf(pcscd.skipReason !== undefined || pythonMissing !== undefined)(
  'python-fido2 against the virtual NFC card',
  () => {
    const service = new PcscService();
    let vpcd: VpcdClient;

    beforeAll(async () => {
      await service.start();
      await vpcdReaders(service);
      const card = new VirtualNfcCard(new VirtualAuthenticator({ profile: 'yubikey5' }), { profile: 'fido2-u2f' });
      const inserted = nextEvent(service, 'card-inserted', VPCD_READER_1);
      vpcd = await VpcdClient.connect(card, { port: VPCD_PORTS[1] });
      await inserted;
    });
    afterAll(async () => {
      await vpcd?.close();
      await service.stop();
    });

    /** Runs a python-fido2 script and returns the JSON object it prints last. */
    function runPython(script: string, args: string[]): Promise<Record<string, unknown>> {
      return new Promise((resolve, reject) => {
        execFile(PYTHON, [script, ...args], { timeout: 90_000 }, (error, stdout, stderr) =>
          error
            ? reject(new Error(`python-fido2 failed: ${stderr || error.message}`))
            : resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>),
        );
      });
    }

    it('registers with Fido2Client, verifies with Fido2Server, then authenticates', async () => {
      const result = (await runPython(SCRIPT, [VPCD_READER_1])) as {
        ok: boolean;
        versions: string[];
        fmt: string;
        signCount: number;
      };
      expect(result).toMatchObject({ ok: true, fmt: 'packed' });
      expect(result.versions).toContain('FIDO_2_0');
      expect(result.signCount).toBeGreaterThan(0);
    });

    it('python-fido2 sets a PIN, takes tokens over both PIN protocols, gets hmac-secret (the same bytes our client gets), manages credentials and config', async () => {
      const authenticator = new VirtualAuthenticator({ profile: 'yubikey5' });
      const inserted = nextEvent(service, 'card-inserted', VPCD_READER_0);
      const card = await VpcdClient.connect(new VirtualNfcCard(authenticator, { profile: 'fido2-u2f' }), {
        port: VPCD_PORTS[0],
      });
      try {
        await inserted;
        const result = await runPython(FEATURES_SCRIPT, [VPCD_READER_0, '4711']);
        expect(result).toMatchObject({
          ok: true,
          retriesAfterSet: 8,
          wrongPin: 'PIN_INVALID',
          retriesAfterWrong: 7,
          // A right PIN resets the count.
          retriesAfterRight: 8,
          hmacCreateSecret: true,
          existingCount: 2,
          rpIds: ['latchkey.localhost'],
          userNames: ['features@example.com', 'spare@example.com'],
          countAfterDelete: 1,
          alwaysUv: true,
        });
        const outputs = result.hmacOutputs as string[];
        expect(outputs).toHaveLength(2);
        expect(outputs[0]).toMatch(/^[0-9a-f]{64}$/);
        expect(outputs[1]).toBe(outputs[0]);

        // Our client, through the same pcscd, gets the same hmac-secret output for that credential, salt and UV.
        const device = await CtapNfcDevice.open(await service.connect(VPCD_READER_0));
        try {
          const ctap2 = await Ctap2.create(device);
          const clientPin = new ClientPin(ctap2);
          const token = await clientPin.getPinToken('4711', { rpId: 'latchkey.localhost' });
          const shared = await clientPin.getSharedSecret();
          const clientDataHash = new Uint8Array(32).fill(7);
          const assertion = await ctap2.getAssertion({
            rpId: 'latchkey.localhost',
            clientDataHash,
            allowList: [{ type: 'public-key', id: fromHex(result.credentialId as string) }],
            extensions: extensionMap(
              hmacSecretGetInput({
                protocol: clientPin.protocol,
                encapsulation: shared,
                salt1: fromHex(result.salt as string),
              }),
            ),
            pinUvAuthToken: token,
          });
          const output = parseHmacSecretOutput(assertion.authData.extensions, {
            protocol: clientPin.protocol,
            encapsulation: shared,
            saltCount: 1,
          });
          expect(toHex(output!.output1)).toBe(outputs[0]);
          output!.dispose();
          shared.dispose();
        } finally {
          await device.close();
        }
      } finally {
        const gone = cardGone(service, VPCD_READER_0);
        await card.close();
        await gone;
      }
    });
  },
);
