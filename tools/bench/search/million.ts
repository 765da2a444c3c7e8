/**
 * `npm run bench -- search --million [--size N] [--queries 100] [--budget-ms 45000] [--cpu-prof DIR]`:
 * the embedded engine alone on 1,000,000 (or N) generated listings, in its own child process
 * (honest heap numbers). Prints build time, heap (after a full GC, array buffers counted) and
 * p50/p95 per query class (plain, typo, geo + filters + facets) against the 15 ms p95 target per
 * class: wall-clock time (the verdict) and the process's CPU time per query beside it, with the
 * load average before and after, because on a shared machine the wall clock also measures the
 * other tenants. --cpu-prof DIR writes a V8 CPU profile of the worker (build and queries) into DIR.
 */

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { percentile, table } from './report';
import type { WorkerResult } from './worker';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TARGET_P95_MS = 15;
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};

function main(): void {
  const docs = Number(opt('size', opt('docs', '1000000')));
  const queries = opt('queries', '100');
  const budgetMs = opt('budget-ms', '45000');
  const profDir = opt('cpu-prof', '');
  const nodeArgs = ['--import', 'tsx', '--expose-gc', '--max-old-space-size=12288'];
  if (profDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', profDir);
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  console.log(
    `search bench (million): carebook on ${docs.toLocaleString('en')} listings, ${queries} queries per class; load average ${load()}`,
  );
  const res = spawnSync(
    process.execPath,
    [
      ...nodeArgs,
      WORKER,
      '--engine',
      'carebook',
      '--docs',
      String(docs),
      '--queries',
      queries,
      '--budget-ms',
      budgetMs,
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`worker failed (${res.status}): ${res.stderr}`);
  const r = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '') as WorkerResult;
  console.log(`\n${table([r], new Map())}\n`);
  console.log(
    `build ${(r.buildMs / 1000).toFixed(1)} s; heap ${(r.heapBytes / 1048576).toFixed(0)} MB + array buffers ${(r.externalBytes / 1048576).toFixed(0)} MB`,
  );
  console.log(`load average after the run ${load()}`);
  for (const cls of ['plain', 'typo', 'geo']) {
    const p95 = percentile(r.latencies[cls] ?? [], 95);
    const cpu = r.cpu?.[cls] ?? [];
    const ok = p95 <= TARGET_P95_MS;
    console.log(
      `${`p95 ${cls}`.padEnd(12)} ${p95.toFixed(2).padStart(8)} ms  target ≤ ${TARGET_P95_MS} ms  ${ok ? 'MET' : 'MISSED'}   (CPU p50/p95 ${percentile(cpu, 50).toFixed(2)}/${percentile(cpu, 95).toFixed(2)} ms)`,
    );
  }
  if (profDir) console.log(`CPU profile written to ${profDir}`);
}

main();
