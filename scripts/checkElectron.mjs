// `npm run check:electron`: Electronegativity over the built app (out/) and the sources; fails on any finding above LOW.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out');
const REPORT = join(OUT, 'electronegativity.json');

/**
 * Findings reviewed and accepted, by check id and the one source file where each may appear. The bundle (out/main)
 * merges every source into one file, so there a finding is accepted only as many times as the sources account for it:
 * a second openExternal anywhere shows up as one too many.
 */
const REVIEWED = [
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    source: 'main/app/webContentsGuards.main.ts',
    why:
      'the window-open handler passes only what externalLinkTarget (navigationPolicy.ts, tested) returns: an https URL ' +
      'without credentials, re-serialised; no file:, custom-scheme or javascript: URL reaches the OS.',
  },
];

/** Electronegativity's severities, lowest first (its own names). */
const LOW = 'LOW';
const ABOVE_LOW = new Set(['MEDIUM', 'HIGH']);

if (!existsSync(join(OUT, 'main'))) {
  console.error('out/main does not exist: run `npm run build` first, then `npm run check:electron`.');
  process.exit(1);
}

const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

/** One scan; findings as plain records (the tool's own objects carry formatting helpers). */
async function scan(folder) {
  const result = await run({ input: join(ROOT, folder), electronVersionOverride: electronVersion, isRelative: true });
  return {
    errors: result.errors
      .filter((error) => !error.tolerable)
      .map((error) => ({ file: error.file, message: error.message })),
    findings: result.issues.map((issue) => ({
      scanned: folder,
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      why: issue.description,
      manualReview: Boolean(issue.manualReview),
      link: issue.shortenedURL,
    })),
  };
}

/**
 * What is scanned of the build: out/ as built, except that the main bundle is lowered to ES2020 first. The scanner's
 * JavaScript parser predates class private fields (`#field`, which Electron 45 runs natively and the bundle keeps), and
 * a file it cannot parse is a file whose guards it cannot see. Lowering changes the syntax of private members only.
 */
function scannableBuild() {
  const copy = join(OUT, '.scan');
  rmSync(copy, { recursive: true, force: true });
  for (const part of ['preload', 'renderer']) cpSync(join(OUT, part), join(copy, part), { recursive: true });
  require('esbuild').buildSync({
    entryPoints: [join(OUT, 'main', 'index.js')],
    outfile: join(copy, 'main', 'index.js'),
    target: 'es2020',
    format: 'esm',
    logLevel: 'error',
  });
  return 'out/.scan';
}

const scans = { out: await scan(scannableBuild()), src: await scan('src') };

/** Marks each finding accepted (with the review's reason), or not. */
function judge() {
  const acceptedInSources = new Map();
  for (const finding of scans.src.findings) {
    const review = REVIEWED.find((r) => r.id === finding.id && r.source === finding.file);
    if (review !== undefined) {
      finding.accepted = review.why;
      acceptedInSources.set(finding.id, (acceptedInSources.get(finding.id) ?? 0) + 1);
    }
  }
  for (const finding of scans.out.findings) {
    const left = acceptedInSources.get(finding.id) ?? 0;
    const review = REVIEWED.find((r) => r.id === finding.id);
    if (review !== undefined && left > 0) {
      finding.accepted = `${review.why} (bundled from ${review.source})`;
      acceptedInSources.set(finding.id, left - 1);
    }
  }
}
judge();

const findings = [...scans.out.findings, ...scans.src.findings];
const errors = [...scans.out.errors, ...scans.src.errors];
mkdirSync(OUT, { recursive: true });
writeFileSync(REPORT, `${JSON.stringify({ electronVersion, reviewed: REVIEWED, findings, errors }, null, 2)}\n`);

const failing = findings.filter((f) => ABOVE_LOW.has(f.severity) && f.accepted === undefined);
const describe = (f) => `${f.id} [${f.severity}] ${f.scanned}/${f.file}:${f.line}: ${f.why}`;
for (const f of findings.filter((x) => x.accepted !== undefined))
  console.log(`accepted  ${describe(f)} Reviewed: ${f.accepted}`);
for (const f of findings.filter((x) => x.severity === LOW && x.accepted === undefined))
  console.log(`low       ${describe(f)}`);
for (const f of failing) console.error(`FINDING   ${describe(f)} (${f.link})`);
for (const e of errors) console.error(`UNPARSED  ${e.file}: ${e.message}`);
console.log(
  `Electronegativity: ${findings.length} findings, ${failing.length} above LOW not reviewed; report in out/electronegativity.json`,
);
// A file the scanner could not parse is a file it did not check.
process.exit(failing.length > 0 || errors.length > 0 ? 1 : 0);
