// What an account command works with: the relying party of --data-dir, the keys (real or --virtual-key) and a WebAuthn client.

import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { WebAuthnClient } from '../../ctap/index.js';
import { RelyingParty } from '../rp/index.js';
import { cliKeys, type CliKeys } from './cliKeys.js';
import { cliWebAuthnUi } from './cliWebAuthnUi.js';
import { CLI_JSON_VERSION } from './deviceJson.js';
import type { CliGlobals } from './globalOptions.js';
import { interruption } from './interruption.js';
import type { CliIo } from './registry.js';

export interface CliSession {
  readonly rp: RelyingParty;
  readonly keys: CliKeys;
  readonly io: CliIo;
  /** navigator.credentials.create() against the key(s); the virtual key's state is saved before this resolves. */
  create(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /** navigator.credentials.get(), likewise. */
  get(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
  /**
   * The command's result: `human` lines on stdout, or with --json one document with `version`, `virtualKey` (the
   * demo notice, null for real keys) and `body`'s members.
   */
  print(human: readonly string[], body: Record<string, unknown>): void;
}

/**
 * Opens the relying party and the keys, runs `command`, and always closes the keys. The demo-key notice goes to stderr
 * first, before any password is asked, and into every --json document.
 */
export async function withSession(globals: CliGlobals, io: CliIo, json: boolean, command: (session: CliSession) => Promise<number>): Promise<number> {
  const keys = cliKeys(globals, io);
  if (keys.virtual) io.err(keys.virtual.notice);
  const rp = await RelyingParty.open(globals.dataDir === undefined ? {} : { dataDir: globals.dataDir });
  const settings = rp.settings();
  const ui = cliWebAuthnUi(io, { virtualKey: keys.virtual !== undefined });
  const webauthn = new WebAuthnClient({ origin: settings.rp_origin, rpId: settings.rp_id, ui: ui.ui, devices: keys.devices });
  /** Runs one ceremony; the virtual key's state is saved whatever happened, since the key may have changed anyway. */
  const ceremony = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw ui.takeFailure() ?? error;
    } finally {
      await keys.saveState();
    }
  };
  // Ctrl+C cancels a key waiting for a touch instead of killing the process mid-write.
  const stop = interruption();
  const session: CliSession = {
    rp,
    keys,
    io,
    create: (options) => ceremony(() => webauthn.create(options, { signal: stop.signal })),
    get: (options) => ceremony(() => webauthn.get(options, { signal: stop.signal })),
    print(human, body) {
      if (json) io.out(JSON.stringify({ version: CLI_JSON_VERSION, virtualKey: keys.virtual ?? null, ...body }, null, 2));
      else for (const line of human) io.out(line);
    },
  };
  try {
    return await command(session);
  } finally {
    stop.dispose();
    await keys.close();
  }
}
