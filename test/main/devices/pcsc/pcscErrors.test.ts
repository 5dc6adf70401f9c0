import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../../src/ctap/errors.js';
import { PcscError } from '../../../../src/main/devices/pcsc/PcscError.js';
import {
  serviceUnavailableMessage,
  toPcscError,
  toTransportError,
} from '../../../../src/main/devices/pcsc/pcscErrors.js';
import { FakeCardError } from './fakePcsc.js';

describe('toPcscError', () => {
  it.each([
    ['NoService', 'service-unavailable'],
    ['ServiceStopped', 'service-unavailable'],
    ['NoReadersAvailable', 'no-reader'],
    ['UnknownReader', 'no-reader'],
    ['NoSmartCard', 'no-card'],
    ['RemovedCard', 'no-card'],
    ['SharingViolation', 'sharing-violation'],
    ['NoAccess', 'access-denied'],
    ['CommError', 'pcsc-failure'],
  ])('maps %s to PcscError(%s), keeping the PC/SC name', (code, kind) => {
    const error = toPcscError(new FakeCardError(code), 'Cannot connect');
    expect(error).toBeInstanceOf(PcscError);
    expect(error).toMatchObject({ code: kind, pcscCode: code });
    expect(error.message).toMatch(/^Cannot connect: /);
  });

  it('says how to start the service on each platform', () => {
    expect(serviceUnavailableMessage('linux')).toMatch(
      /pcscd is not running.*systemctl start pcscd.*apt install pcscd/,
    );
    expect(serviceUnavailableMessage('win32')).toMatch(/SCardSvr/);
  });

  it('passes a PcscError through', () => {
    const original = new PcscError('no-card', 'x');
    expect(toPcscError(original, 'ctx')).toBe(original);
  });
});

describe('toTransportError', () => {
  it.each([
    ['RemovedCard', 'closed'],
    ['ResetCard', 'closed'],
    ['ReaderUnavailable', 'closed'],
    ['ServiceStopped', 'closed'],
    ['NotTransacted', 'closed'],
    ['SharingViolation', 'busy'],
    ['Timeout', 'timeout'],
    ['AccessDenied', 'access-denied'],
    ['CommError', 'io'],
  ])('maps %s during an exchange to TransportError(%s)', (code, kind) => {
    const error = toTransportError(new FakeCardError(code));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe(kind);
  });

  it('names an error without a PC/SC code by its message', () => {
    expect(toTransportError(new Error('socket hang up')).message).toContain('socket hang up');
  });
});
