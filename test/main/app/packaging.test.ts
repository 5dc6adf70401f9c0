// What electron-builder is told: native modules outside the asar, the udev rule installed by the deb, the macOS
// entitlements, and the fuses flipped at packaging.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
// electron-builder ships js-yaml; the test reads the file as electron-builder does.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  afterPack: string;
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  deb: { afterInstall: string; afterRemove: string; depends: string[] };
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
}

const config = yaml.load(readFileSync(root('electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('packs the built app into an asar, with native addons and WebAssembly unpacked', () => {
    expect(config.productName).toBe('Latchkey');
    expect(config.files).toContain('out/**');
    expect(config.asar).toBe(true);
    for (const pattern of ['node_modules/node-hid/**', 'node_modules/pcsc-mini/**', '**/*.node', '**/*.wasm']) {
      expect(config.asarUnpack).toContain(pattern);
    }
  });

  it('builds AppImage and deb, NSIS, and a dmg with the hardened runtime and the entitlements file', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac).toMatchObject({
      target: ['dmg'],
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
    });
  });

  it('ships the udev rule and has the deb install it into /usr/lib/udev/rules.d and reload udev', () => {
    expect(config.extraResources).toContainEqual({
      from: 'resources/linux/70-latchkey-fido.rules',
      to: 'linux/70-latchkey-fido.rules',
    });
    const script = readFileSync(root(config.deb.afterInstall), 'utf8');
    expect(script).toContain('/resources/linux/$RULE_NAME" "/usr/lib/udev/rules.d/$RULE_NAME"');
    expect(script).toContain("RULE_NAME='70-latchkey-fido.rules'");
    expect(script).toContain('udevadm control --reload-rules');
    expect(script).toContain('udevadm trigger');
    // electron-builder's own post-install steps are kept (a custom script replaces its template).
    expect(script).toContain('chrome-sandbox');
    expect(readFileSync(root(config.deb.afterRemove), 'utf8')).toContain(
      'rm -f /usr/lib/udev/rules.d/70-latchkey-fido.rules',
    );
  });

  it('keeps electron-builder\u2019s default deb dependencies when adding the PC/SC library', () => {
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libpcsclite1']));
  });

  it('uses only the template macros electron-builder defines in the deb scripts', () => {
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
      const macros = readFileSync(root(script), 'utf8').match(/\$\{[a-zA-Z]+\}/g) ?? [];
      expect(new Set(macros)).toEqual(new Set(['${executable}', '${sanitizedProductName}']));
    }
  });
});

describe('build/entitlements.mac.plist', () => {
  const plist = readFileSync(root('build/entitlements.mac.plist'), 'utf8');
  const enabled = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);

  it('grants USB (HID keys), smart cards (NFC readers) and JIT for V8, and nothing else', () => {
    expect(enabled.sort()).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.device.usb',
      'com.apple.security.smartcard',
    ]);
  });
});

describe('build/flipFuses.cjs', () => {
  const hook = require(root('build/flipFuses.cjs')) as {
    FUSES: Record<string, boolean>;
    afterPack: unknown;
    default: unknown;
  };

  it('is the afterPack hook', () => {
    expect(config.afterPack).toBe('build/flipFuses.cjs');
    expect(typeof hook.afterPack).toBe('function');
    expect(hook.default).toBe(hook.afterPack);
  });

  it('flips exactly the design\u2019s fuses', () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      EnableCookieEncryption: true,
    });
  });

  it('names only fuses @electron/fuses knows', () => {
    const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
    for (const name of Object.keys(hook.FUSES)) expect(FuseV1Options[name]).toBeTypeOf('number');
  });
});
