import { describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { VirtualSource } from '../../../../src/main/devices/virtual/VirtualSource.js';
import { recordSource } from '../sourceEvents.js';

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';

describe('VirtualSource', () => {
  it('lists a key under its name at once and resolves add() once its getInfo is read; the name stays', async () => {
    const source = new VirtualSource();
    const events = recordSource(source);
    expect(await source.add(new VirtualAuthenticator({ profile: 'yubikey5' }), { name: 'demo' })).toBe('demo');
    expect(events.map((e) => e.event)).toEqual(['added', 'changed']);
    expect(source.list()).toEqual([
      {
        key: 'demo',
        ids: ['virtual:demo'],
        info: {
          transport: 'virtual',
          name: 'demo',
          aaguid: YUBIKEY5_AAGUID,
          model: 'YubiKey 5 Series',
          versions: expect.arrayContaining(['FIDO_2_1']) as unknown as string[],
        },
      },
    ]);
    expect(source.status()).toBeUndefined();
  });

  it('numbers unnamed keys, refuses a name already listed, and opens a key as a virtual CtapDevice', async () => {
    const source = new VirtualSource({ readInfo: false });
    expect(await source.add(new VirtualAuthenticator())).toBe('Virtual key 1');
    expect(await source.add(new VirtualAuthenticator())).toBe('Virtual key 2');
    await expect(source.add(new VirtualAuthenticator(), { name: 'Virtual key 1' })).rejects.toThrow(
      'a virtual key named "Virtual key 1" is already listed',
    );
    const device = await source.open('Virtual key 2');
    expect(device.transport).toBe('virtual');
    await device.close();
  });

  it('takes a key away with a removed event, and forgets every key on stop without one', async () => {
    const source = new VirtualSource({ readInfo: false });
    await source.add(new VirtualAuthenticator(), { name: 'a' });
    await source.add(new VirtualAuthenticator(), { name: 'b' });
    const events = recordSource(source);
    expect(source.delete('a')).toBe(true);
    expect(source.delete('a')).toBe(false);
    expect(events).toEqual([{ event: 'removed', value: 'a' }]);
    await source.stop();
    expect(source.list()).toEqual([]);
    expect(events).toHaveLength(1);
    await expect(source.open('b')).rejects.toMatchObject({ reason: 'no-device' });
  });
});
