// The layer rules of .dependency-cruiser.cjs on a small made-up src/ tree: each import below is allowed or breaks
// exactly the rules named beside it, so a regular expression that drifts from docs/architecture.md shows here.

import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** Files that import nothing and are imported by the cases. */
const LEAVES = [
  'src/ctap/bytes.ts',
  'src/ctap/cbor/decode.ts',
  'src/ctap/ctap2/Ctap2.ts',
  'src/ctap/virtual/index.ts',
  'src/main/store/JsonStore.ts',
  'src/main/rp/index.ts',
  'src/main/devices/index.ts',
  'src/main/devices/DeviceManager.ts',
];

/** [importing file, import specifier, the rules it breaks]. */
const CASES: [string, string, string[]][] = [
  ['src/ctap/errors.ts', './cbor/decode.js', ['ctap-base-imports-upward']],
  ['src/ctap/cbor/encode.ts', '../bytes.js', []],
  ['src/ctap/cbor/climb.ts', '../ctap2/Ctap2.js', ['ctap-codecs-imports-upward']],
  ['src/ctap/hid/frames.ts', '../cbor/decode.js', []],
  ['src/ctap/nfc/apdu.ts', '../ctap2/Ctap2.js', ['ctap-transports-imports-upward']],
  ['src/ctap/webauthn/WebAuthnClient.ts', '../ctap2/Ctap2.js', []],
  ['src/ctap/ctap2/usesClient.ts', '../webauthn/WebAuthnClient.js', ['ctap-protocols-imports-upward']],
  ['src/ctap/authenticator/openKey.ts', '../ctap2/Ctap2.js', []],
  ['src/ctap/index.ts', './webauthn/WebAuthnClient.js', []],
  ['src/ctap/ctap2/usesVirtual.ts', '../virtual/index.js', ['ctap-imports-virtual']],
  ['src/ctap/virtual/VirtualAuthenticator.ts', '../ctap2/Ctap2.js', []],
  ['src/ctap/virtual/usesIndex.ts', '../index.js', ['ctap-virtual-imports-index']],
  ['src/ctap/hid/usesNodeHid.ts', 'node-hid', ['ctap-imports-app-or-hardware', 'hardware-outside-devices']],
  ['src/ctap/usesMain.ts', '../main/store/JsonStore.js', ['ctap-imports-app-or-hardware']],
  ['src/ctap/extra/thing.ts', '../bytes.js', ['ctap-outside-layers']],
  ['src/main/devices/Ctap.ts', '../../ctap/index.js', []],
  ['src/main/devices/hidBackend.ts', 'node-hid', []],
  ['src/main/devices/usesInner.ts', '../../ctap/ctap2/Ctap2.js', ['main-imports-ctap-inner-file']],
  ['src/main/rp/usesVirtualKey.ts', '../../ctap/virtual/index.js', []],
  ['src/main/rp/usesStore.ts', '../store/JsonStore.js', []],
  ['src/main/store/usesDomain.ts', '../rp/index.js', ['main-shared-imports-upward']],
  ['src/main/rp/usesDevices.ts', '../devices/index.js', ['main-domain-imports-domain']],
  ['src/main/rp/usesService.ts', '../services/session.js', ['main-domains-imports-upward']],
  ['src/main/services/session.ts', '../rp/index.js', []],
  ['src/main/services/usesCli.ts', '../cli/devices.js', ['main-services-imports-upward']],
  ['src/main/cli/devices.ts', '../devices/index.js', []],
  ['src/main/cli/usesService.ts', '../services/session.js', []],
  ['src/main/cli/usesInner.ts', '../devices/DeviceManager.js', ['main-adapter-imports-domain-inner-file']],
  ['src/main/cli/usesHid.ts', 'node-hid', ['hardware-outside-devices']],
  ['src/main/window.main.ts', 'electron', []],
  ['src/main/rp/usesElectron.ts', 'electron', ['electron-outside-main-ts']],
  ['src/main/misc/thing.ts', '../store/JsonStore.js', ['main-outside-layers']],
  ['src/main/config/a.ts', './b.js', ['no-circular']],
  // A circle is reported once, at the file where depcruise entered it.
  ['src/main/config/b.ts', './a.js', []],
  ['src/renderer/App.ts', '../ctap/index.js', ['renderer-imports-main-or-ctap']],
];

interface Violation {
  from: string;
  rule: { name: string };
}

let dir: string;
let violations: Violation[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-layers-'));
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json']) await copyFile(join(ROOT, file), join(dir, file));
  const write = async (file: string, text: string): Promise<void> => {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  };
  for (const leaf of LEAVES) await write(leaf, 'export {};\n');
  for (const [file, specifier] of CASES) await write(file, `import '${specifier}';\n`);
  violations = await depcruise(dir);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the depcruise command in `cwd` on its src/ and returns the violations it reports. */
function depcruise(cwd: string): Promise<Violation[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEPCRUISE, ['src', '--output-type', 'json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => {
      try {
        resolve((JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations);
      } catch {
        reject(new Error(`depcruise printed no JSON report: ${stderr || stdout}`));
      }
    });
  });
}

describe('.dependency-cruiser.cjs', () => {
  it.each(CASES)('%s importing %s breaks %j', (file, _specifier, rules) => {
    const broken = new Set(violations.filter((v) => v.from === file).map((v) => v.rule.name));
    expect([...broken].sort()).toEqual([...rules].sort());
  });

  it('finds nothing to say about the files that import nothing', () => {
    expect(violations.filter((v) => LEAVES.includes(v.from))).toEqual([]);
  });
});
