// The WebAuthn client's UI for one ceremony, over a Prompter: PIN bytes, touches, key choice, fingerprint retries.

import type { PinRequest, TouchRequest, WebAuthnUi } from '../../ctap/index.js';
import type { Prompter } from './Prompter.js';

export interface PrompterUi {
  ui: WebAuthnUi;
  /**
   * What the prompter threw, if it did, to rethrow in place of the client's generic ClientError: the client maps
   * whatever its UI throws to a key error, and the prompter's own reason (nobody to ask) is the one to tell.
   */
  takeFailure(): unknown;
}

/** `signal` ends with the ceremony: touch messages are taken down with it. */
export function prompterUi(prompter: Prompter, signal: AbortSignal): PrompterUi {
  let failure: unknown;
  const remember = (error: unknown): never => {
    failure = error;
    throw error;
  };
  const ui: WebAuthnUi = {
    async requestPin(req: PinRequest): Promise<Uint8Array | undefined> {
      // The bytes go to the client as they are: it zeroes them once the key has had them.
      return prompter
        .secret({
          kind: 'pin',
          ...(req.device === undefined ? {} : { device: req.device }),
          ...(req.reason === 'pin-invalid' || req.reason === 'pin-format' ? { retry: req.reason } : {}),
          ...(req.retriesLeft === undefined ? {} : { retriesLeft: req.retriesLeft }),
          ...(req.minPinLength === undefined ? {} : { minPinLength: req.minPinLength }),
          signal: req.signal,
        })
        .catch(remember);
    },
    onTouch(req: TouchRequest): void {
      prompter.touch({ purpose: req.purpose, ...(req.device === undefined ? {} : { device: req.device }), signal });
    },
    onUvRetry(req): void {
      prompter.fingerprintRetry?.(req);
    },
  };
  const chooseKey = prompter.chooseKey?.bind(prompter);
  if (chooseKey) {
    ui.chooseDevice = (req) =>
      chooseKey({
        keys: req.devices.map((d) => ({ ...(d.name === undefined ? {} : { name: d.name }), transport: d.transport })),
        signal: req.signal,
      }).catch(remember);
  }
  return {
    ui,
    takeFailure() {
      const taken = failure;
      failure = undefined;
      return taken;
    },
  };
}
