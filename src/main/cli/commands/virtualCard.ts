// `latchkey virtual-card`: a VirtualAuthenticator as a contactless card in a vpcd reader, so any PC/SC client can use it.

import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CtapStatus } from '../../../ctap/index.js';
import {
  isVirtualProfileName,
  speaksCtap2,
  speaksU2f,
  VIRTUAL_PROFILES,
  VirtualAuthenticator,
  VirtualNfcCard,
  type VirtualNfcProfile,
  type VirtualProfile,
  type VirtualProfileName,
} from '../../../ctap/virtual/index.js';
import {
  loadVirtualKeyState,
  VirtualKeyStateFile,
  VPCD_PORTS,
  VpcdClient,
  withVirtualKeyLock,
} from '../../services/index.js';
import { interruption } from '../interruption.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand, type CliIo } from '../registry.js';
import { UsageError } from '../UsageError.js';

/**
 * pcscd reads a new card's ATR about 0.3 s after vpcd takes it (DESIGN.md section 7). A card vpcd has not spoken to
 * after this long is queued behind another card in the same reader; a slow machine only makes the note come early.
 */
const QUEUED_AFTER_MS = 3_000;

registerCommand('virtual-card', {
  summary: 'put a virtual security key on a vpcd card reader (for demos and tests)',
  usage: `latchkey virtual-card --state FILE [--port ${VPCD_PORTS[0]}] [--profile ${Object.keys(VIRTUAL_PROFILES).join('|')}]`,
  async run(args, io) {
    const options = parseOptions(args, {
      state: { type: 'string' },
      port: { type: 'string' },
      profile: { type: 'string' },
    });
    if (options.state === undefined)
      throw new UsageError('--state FILE is required: the virtual key keeps its credentials there');
    const port = parsePort(options.port);
    const profile = options.profile;
    if (profile !== undefined && !isVirtualProfileName(profile)) {
      throw new UsageError(`--profile "${profile}" is not one of ${Object.keys(VIRTUAL_PROFILES).join(', ')}`);
    }
    const statePath = resolve(options.state);
    // Held as long as the card is in the reader: a second card on the same file would sign with the same counter.
    return withVirtualKeyLock(statePath, () => runCard(statePath, profile, port, io), { timeoutMs: 0 });
  },
});

async function runCard(
  statePath: string,
  profile: VirtualProfileName | undefined,
  port: number,
  io: CliIo,
): Promise<number> {
  const state = await loadVirtualKeyState(statePath);
  if (state && profile !== undefined && state.profile !== profile) {
    throw new UsageError(
      `${statePath} holds a "${state.profile}" key; leave --profile out, or give another --state file for a "${profile}" key`,
    );
  }
  const key = new VirtualAuthenticator({ ...(profile ? { profile } : {}), ...(state ? { state } : {}) });
  const stateFile = new VirtualKeyStateFile(statePath, key);
  await stateFile.saveIfChanged();

  let saveFailure: string | undefined;
  const card = new VirtualNfcCard(
    {
      async processCtap2(request, opts) {
        const answer = await key.processCtap2(request, opts);
        // Saved before the answer leaves, so a client that got a credential finds it after a restart.
        try {
          await stateFile.saveIfChanged();
        } catch (error) {
          saveFailure = (error as Error).message;
          io.err(`Could not save the virtual key's state to ${statePath}: ${saveFailure}`);
          return Uint8Array.of(CtapStatus.CTAP1_ERR_OTHER);
        }
        return answer;
      },
    },
    { profile: nfcProfile(key.profile) },
  );

  const stop = interruption();
  try {
    const vpcd = await VpcdClient.connect(card, { port });
    const reader = readerName(port);
    io.out(`Latchkey virtual security key: ${key.profile.description}, AAGUID ${key.profile.aaguid}.`);
    io.out(
      `For demos and tests only: it is not a security device, and its private keys are stored unencrypted in ${statePath}.`,
    );
    const where = `${reader ? `"${reader}" ` : ''}(vpcd 127.0.0.1:${port})`;
    const stopped = new Promise<'signal'>((done) =>
      stop.signal.addEventListener('abort', () => done('signal'), { once: true }),
    );
    const inReader = vpcd.inReader.then(() => 'reader' as const);
    const vpcdGone = vpcd.closed.then(() => 'vpcd' as const);
    let entered = await Promise.race([
      inReader,
      vpcdGone,
      stopped,
      sleep(QUEUED_AFTER_MS, 'queued' as const, { ref: false }),
    ]);
    if (entered === 'queued') {
      io.err(
        `Waiting for the card reader ${where}: another card is in it (another "latchkey virtual-card" on port ${port}?), and vpcd holds this one back until that card leaves.`,
      );
      entered = await Promise.race([inReader, vpcdGone, stopped]);
    }
    if (entered === 'reader') io.out(`On the card reader ${where}. Stop with Ctrl+C.`);
    const ended = await Promise.race([vpcd.closed.then(() => 'vpcd' as const), stopped]);
    await vpcd.close();
    // A save still in flight finishes before the process may exit.
    await stateFile.saveIfChanged().catch(() => undefined);
    if (ended === 'vpcd') {
      io.err('vpcd closed the connection (pcscd stopped?): the virtual card is no longer in the reader.');
      return 1;
    }
    io.out(`Virtual card removed from the reader (${String(stop.signal.reason)}); its state is in ${statePath}.`);
    return saveFailure === undefined ? 0 : 1;
  } finally {
    stop.dispose();
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return VPCD_PORTS[0];
  // Decimal digits only: Number() would also take " 1e3" (1000) and "0x8C7B" (35963), which nobody means as a port.
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError(`--port "${text}" is not a TCP port number (1-65535)`);
  return port;
}

/** vpcd's default ports map to its two readers; other ports depend on the vpcd configuration. */
function readerName(port: number): string | undefined {
  const index = (VPCD_PORTS as readonly number[]).indexOf(port);
  return index < 0 ? undefined : `Virtual PCD 00 0${index}`;
}

/** The applet behaves as the modelled key does over NFC: U2F_V2 on SELECT when it speaks U2F, CTAP2 when it does. */
function nfcProfile(profile: VirtualProfile): VirtualNfcProfile {
  if (!speaksCtap2(profile)) return 'u2f-only';
  return speaksU2f(profile) ? 'fido2-u2f' : 'fido2';
}
