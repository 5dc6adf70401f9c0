// `npm start`: runs the desktop app in development, fetching Electron's binary on first use, or says in one paragraph
// why it cannot here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const WHAT_WORKS =
  'What works without it: the `latchkey` command line (README.md, "Run"), `npm run build` and the tests (`npm test`).';
const NOT_A_DEPENDENCY =
  'Latchkey\u2019s desktop window cannot open: Electron is not among its dependencies in node_modules, so there is no ' +
  'app to open (`npm install` installs it).';
const SKIPPED =
  'Latchkey\u2019s desktop window needs Electron\u2019s binary, which is downloaded on first start, but ' +
  'ELECTRON_SKIP_BINARY_DOWNLOAD is set here, which says not to download it (CI and offline machines set it); unset ' +
  'it on a machine with internet access to fetch it once.';
const DOWNLOAD_FAILED = (reason) =>
  'Latchkey\u2019s desktop window needs Electron\u2019s binary, and downloading it failed' +
  (reason ? ` (${reason})` : '') +
  ': this machine probably cannot reach where Electron is published (GitHub, or ELECTRON_MIRROR when set; a proxy ' +
  'is used when ELECTRON_GET_USE_PROXY and HTTPS_PROXY are set).';

/** Prints the one paragraph and stops: no stack trace, nothing else. */
function explain(why) {
  console.error(`${why} ${WHAT_WORKS}`);
  process.exit(1);
}

/** Where the electron package expects its binary (path.txt, written by its installer), and whether it is there. */
function electronBinary(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8');
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist'), relative);
  return existsSync(binary) ? binary : undefined;
}

/** A short reason from a download error: its message's first line, never its stack. */
function shortReason(error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return `${message}${cause}`.split('\n')[0].slice(0, 200);
}

/**
 * Downloads the binary into Electron's cache with a progress line, then runs Electron's own installer
 * (node_modules/electron/install.js), which finds the archive in the cache, checks it and unpacks it.
 */
async function installElectron(packageDir) {
  console.error('Downloading Electron (first start only)...');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const packageRequire = createRequire(join(packageDir, 'package.json'));
  const get = await import(pathToFileURL(packageRequire.resolve('@electron/get')).href);
  let shown = -1;
  const progress = ({ percent, total }) => {
    const step = Math.floor(percent * 10);
    if (step === shown) return;
    shown = step;
    const size = total ? ` of ${Math.round(total / 1e6)} MB` : '';
    process.stderr.write(`  ${step * 10}%${size}\n`);
  };
  try {
    await get.downloadArtifact({
      version,
      artifactName: 'electron',
      platform: process.platform,
      arch: process.arch,
      checksums: JSON.parse(readFileSync(join(packageDir, 'checksums.json'), 'utf8')),
      downloadOptions: { quiet: true, getProgressCallback: progress },
    });
  } catch (error) {
    explain(DOWNLOAD_FAILED(shortReason(error)));
  }
  const installer = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8' });
  if (installer.status !== 0) explain(DOWNLOAD_FAILED('Electron\u2019s installer could not unpack the download'));
}

let packageDir;
try {
  packageDir = dirname(require.resolve('electron/package.json'));
} catch {
  explain(NOT_A_DEPENDENCY);
}
if (electronBinary(packageDir) === undefined) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) explain(SKIPPED);
  await installElectron(packageDir);
  if (electronBinary(packageDir) === undefined) explain(DOWNLOAD_FAILED(''));
}
// electron-vite builds main, preload and renderer, serves the renderer with hot reload and starts Electron on the build.
const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const result = spawnSync(process.execPath, [electronVite, 'dev', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
