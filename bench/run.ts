// `npm run bench`: runs every benchmark, prints the figures and writes them to bench/results/latest.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './harness.js';

const suites: [string, () => Promise<{ run: () => Promise<BenchResult[]> }>][] = [
  ['ctap/getAssertionClient', () => import('./ctap/getAssertionClient.bench.js')],
  ['ctap/virtualRoundTrip', () => import('./ctap/virtualRoundTrip.bench.js')],
  ['ctap/hmacSecretPin', () => import('./ctap/hmacSecretPin.bench.js')],
  ['rp/ceremonies', () => import('./rp/ceremonies.bench.js')],
  ['devices/pcscGetInfo', () => import('./devices/pcscGetInfo.bench.js')],
  ['devices/cardEventLatency', () => import('./devices/cardEventLatency.bench.js')],
  ['devices/hidPollingCpu', () => import('./devices/hidPollingCpu.bench.js')],
  ['cli/cliStartup', () => import('./cli/cliStartup.bench.js')],
  ['vault/largeVault', () => import('./vault/largeVault.bench.js')],
  ['vault/passwordUnlock', () => import('./vault/passwordUnlock.bench.js')],
  ['vault/oneTouchUnlock', () => import('./vault/oneTouchUnlock.bench.js')],
  ['vault/importOtpauth', () => import('./vault/importOtpauth.bench.js')],
  ['vault/importWrite', () => import('./vault/importWrite.bench.js')],
  ['ui/renderer', () => import('./ui/renderer.bench.js')],
];

const only = process.argv.slice(2);
// Other work on the machine moves every mean: the load before and after goes into the file beside the figures.
const loadAverageStart = loadavg()[0];
const results: (BenchResult & { suite: string })[] = [];
for (const [suite, load] of suites) {
  if (only.length && !only.some((o) => suite.includes(o))) continue;
  try {
    for (const r of await (await load()).run()) {
      results.push({ suite, ...r });
      const verdict = r.goal ? `  goal ${r.goal.comparison} ${r.goal.value}: ${r.goal.met ? 'met' : 'NOT MET'}` : '';
      console.log(`${r.name}: ${r.value} ${r.unit}${verdict}`);
      const st = r.stats;
      console.log(
        `    mean=${st.mean} median=${st.median} p90=${st.p90} p99=${st.p99} max=${st.max} ${st.unit}, n=${st.count}`,
      );
      if (r.detail)
        console.log(
          `    ${Object.entries(r.detail)
            .map(([k, v]) => `${k}=${v}`)
            .join('  ')}`,
        );
    }
  } catch (error) {
    console.error(`${suite}: failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}

const loadAverageEnd = loadavg()[0]!;
if (Math.max(loadAverageStart!, loadAverageEnd) > cpus().length) {
  console.log(
    `\nThe machine was loaded (load average ${loadAverageStart!.toFixed(1)} -> ${loadAverageEnd.toFixed(1)} on ${cpus().length} cores):` +
      ' means and p99s include time other processes held the CPU; medians and CPU time per call are the steadier figures.',
  );
}

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const file = `${outDir}latest.json`;
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadAverageStart,
      loadAverageEnd,
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${file}`);
