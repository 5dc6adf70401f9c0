// `latchkey devices`: the security keys connected over USB and NFC, as a table or as stable JSON (docs/cli.md).

import type { DeviceInfo, TransportStatus } from '../../services/index.js';
import { cliDeviceManager } from '../cliDeviceManager.js';
import { CLI_JSON_VERSION, deviceJson, transportJson } from '../deviceJson.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand, type CliIo } from '../registry.js';

registerCommand('devices', {
  summary: 'list the security keys connected over USB and NFC',
  usage: 'latchkey devices [--json] [--transport usb|nfc]',
  async run(args, io) {
    const options = parseOptions(args, { json: { type: 'boolean' }, transport: { type: 'string' } });
    const manager = cliDeviceManager(options.transport);
    try {
      await manager.start();
      const devices = manager.list();
      const transports = manager.transports();
      if (options.json) {
        io.out(
          JSON.stringify(
            { version: CLI_JSON_VERSION, devices: devices.map(deviceJson), transports: transports.map(transportJson) },
            null,
            2,
          ),
        );
      } else {
        printTable(devices, transports, io);
      }
      return 0;
    } finally {
      await manager.stop();
    }
  },
});

function printTable(devices: DeviceInfo[], transports: TransportStatus[], io: CliIo): void {
  if (devices.length === 0) {
    io.out('No security key found: plug one in, or put it on an NFC reader.');
  } else {
    const rows = [
      ['ID', 'TRANSPORT', 'NAME', 'AAGUID', 'VERSIONS'],
      ...devices.map((d) => [d.id, d.transport, d.name, d.aaguid ?? '-', d.versions?.join(', ') ?? '-']),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows)
      io.out(
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      );
    for (const d of devices) if (d.problem) io.out(`${d.id}: ${d.problem}`);
  }
  // A transport that does not work explains an empty or short list.
  for (const t of transports)
    if (t.state === 'unavailable') io.err(`${t.transport.toUpperCase()}: ${t.reason ?? 'unavailable'}`);
}
