// credProtect: level encoding, enforcement before sending, and output parsing.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../../src/ctap/cbor/encode.js';
import {
  CredProtectLevel,
  credProtectInput,
  isCredProtectSupported,
  parseCredProtectOutput,
} from '../../../../src/ctap/ctap2/extensions/credProtect.js';
import { extensionMap } from '../../../../src/ctap/ctap2/extensions/extension.js';
import { ClientError, ProtocolError } from '../../../../src/ctap/errors.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const withCredProtect = { extensions: ['credProtect', 'hmac-secret'] };
const without = { extensions: ['hmac-secret'] };

describe('credProtect', () => {
  it('encodes levels 1-3, given as numbers or WebAuthn policy names, as {"credProtect": n}', () => {
    expect(CredProtectLevel).toEqual({
      userVerificationOptional: 1,
      userVerificationOptionalWithCredentialIDList: 2,
      userVerificationRequired: 3,
    });
    expect(credProtectInput({ info: withCredProtect, policy: 'userVerificationRequired' })).toEqual({
      id: 'credProtect',
      input: 3,
    });
    expect(credProtectInput({ info: withCredProtect, policy: 2 })).toEqual({ id: 'credProtect', input: 2 });
    // a1 6b "credProtect" 01
    expect(toHex(encodeCbor(extensionMap(credProtectInput({ info: withCredProtect, policy: 1 }))))).toBe(
      'a16b6372656450726f7465637401',
    );
  });

  it('refuses, before sending, to make a protected credential on a key without credProtect when enforcement is asked', () => {
    expect(() => credProtectInput({ info: without, policy: 'userVerificationRequired', enforce: true })).toThrow(
      ClientError,
    );
    const error = thrown(() => credProtectInput({ info: without, policy: 2, enforce: true }));
    expect(error).toMatchObject({ name: 'ClientError', reason: 'device-not-supported' });
    expect((error as Error).message).toMatch(/userVerificationOptionalWithCredentialIDList was required/);
  });

  it('sends nothing to a key without credProtect when not enforced, or when the policy is userVerificationOptional', () => {
    expect(credProtectInput({ info: without, policy: 3 })).toBeUndefined();
    expect(credProtectInput({ info: without, policy: 'userVerificationOptional', enforce: true })).toBeUndefined();
    expect(extensionMap(credProtectInput({ info: without, policy: 3 })).size).toBe(0);
  });

  it('refuses levels outside 1-3', () => {
    expect(() => credProtectInput({ info: withCredProtect, policy: 4 as never })).toThrow(ClientError);
    expect(() => credProtectInput({ info: withCredProtect, policy: 'userVerificationSometimes' as never })).toThrow(
      /credProtect level/,
    );
  });

  it('reads the applied level and rejects malformed outputs with ProtocolError', () => {
    expect(isCredProtectSupported(withCredProtect)).toBe(true);
    expect(isCredProtectSupported(without)).toBe(false);
    expect(parseCredProtectOutput(new Map([['credProtect', 3]]))).toBe(3);
    expect(parseCredProtectOutput(new Map([['hmac-secret', true]]))).toBeUndefined();
    expect(parseCredProtectOutput(undefined)).toBeUndefined();
    for (const value of [0, 4, -1, 'high', true, new Uint8Array(1)]) {
      expect(() => parseCredProtectOutput(new Map([['credProtect', value]])), String(value)).toThrow(ProtocolError);
    }
  });

  it('refuses an extension given twice in one request', () => {
    const input = credProtectInput({ info: withCredProtect, policy: 3 });
    expect(() => extensionMap(input, input)).toThrow(/given twice/);
  });
});
