// electron-builder's afterPack hook: flips Electron's fuses in the packaged binary, before it is signed.

const path = require('node:path');

/**
 * The fuses, by @electron/fuses' FuseV1Options names: the one list (docs/desktop.md explains each; a test reads it).
 * The binary cannot then run as plain Node, take NODE_OPTIONS or --inspect, load an app from outside its asar, or load an
 * asar whose hash differs from the one embedded at packaging; cookies and storage are encrypted with the OS key.
 */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
});

/** The packaged Electron binary, as electron-builder names it per platform (the .app bundle on macOS). */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

async function afterPack(context) {
  const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) {
      throw new Error(`Unknown Electron fuse "${name}", expected one of ${Object.keys(FuseV1Options).join(', ')}`);
    }
    config[FuseV1Options[name]] = value;
  }
  // Flipping a fuse changes the binary, which breaks an ad-hoc signature on Apple silicon: re-sign it ad hoc (the real
  // signature comes after this hook).
  config.resetAdHocDarwinSignature = context.electronPlatformName === 'darwin';
  await flipFuses(electronBinary(context), config);
}

module.exports = { afterPack, default: afterPack, FUSES };
