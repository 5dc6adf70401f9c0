// `latchkey info`: one key's authenticatorGetInfo, in words or as stable JSON (docs/cli.md); asks for a touch when several keys are present.

import type { DeviceManager, OpenedDevice } from '../../services/index.js';
import { authenticatorInfoJson } from '../authenticatorInfoJson.js';
import { cliDeviceManager } from '../cliDeviceManager.js';
import { CLI_JSON_VERSION, deviceJson } from '../deviceJson.js';
import { formatAuthenticatorInfo } from '../formatAuthenticatorInfo.js';
import { interruption } from '../interruption.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand, type CliIo } from '../registry.js';
import { UsageError } from '../UsageError.js';

registerCommand('info', {
  summary: 'show what a security key says about itself (authenticatorGetInfo)',
  usage: 'latchkey info [--device ID] [--json] [--transport usb|nfc]',
  async run(args, io) {
    const options = parseOptions(args, {
      device: { type: 'string' },
      json: { type: 'boolean' },
      transport: { type: 'string' },
    });
    const manager = cliDeviceManager(options.transport);
    let opened: OpenedDevice | undefined;
    try {
      await manager.start();
      opened = await chooseKey(manager, options.device, io);
      const info = opened.ctap2?.info;
      if (options.json) {
        const json = {
          version: CLI_JSON_VERSION,
          device: deviceJson(opened.info),
          info: info ? authenticatorInfoJson(info) : null,
        };
        io.out(JSON.stringify(json, null, 2));
      } else {
        for (const line of formatAuthenticatorInfo(opened.info, info)) io.out(line);
      }
      return 0;
    } finally {
      await opened?.device.close().catch(() => undefined);
      await manager.stop();
    }
  },
});

/** The key named by --device; else the only key; else the one the user touches, or a usage error when nobody can touch. */
async function chooseKey(manager: DeviceManager, id: string | undefined, io: CliIo): Promise<OpenedDevice> {
  if (id !== undefined) return manager.open(id);
  const devices = manager.list();
  if (devices.length < 2) return manager.selectByTouch();
  if (!io.interactive) {
    const list = devices.map((d) => `  ${d.id}  ${d.name}`).join('\n');
    throw new UsageError(`${devices.length} security keys are connected; choose one with --device ID:\n${list}`);
  }
  io.err(`${devices.length} security keys are connected: touch the one you want (Ctrl+C to stop).`);
  const stop = interruption();
  try {
    return await manager.selectByTouch(undefined, { signal: stop.signal });
  } finally {
    stop.dispose();
  }
}
