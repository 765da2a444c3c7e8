/**
 * Search benchmark: our engine vs @orama/orama vs minisearch on the same generated listings.
 *   node --import tsx tools/bench/search/index.ts [--docs 100000] [--queries 150] [--budget-ms 25000]
 *                                                [--million] [--all-million]
 * Each engine runs in its own child process (honest heap numbers, no cross-talk), one after the
 * other. Each query class gets a third of --budget-ms of query time (at least 3 queries); the table
 * shows how many queries of each class ran (slow engines are sampled, never skipped).
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generate } from './generate';
import { queryMix } from './queries';
import { p95All, percentile, recall, table } from './report';
import type { WorkerResult } from './worker';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};

function runWorker(engine: string, docs: number, queries: number, budgetMs: number): WorkerResult {
  const args = [
    '--engine',
    engine,
    '--docs',
    String(docs),
    '--queries',
    String(queries),
    '--budget-ms',
    String(budgetMs),
  ];
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', '--max-old-space-size=12288', WORKER, ...args],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`${engine} worker failed (${res.status}): ${res.stderr}`);
  const line = res.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as WorkerResult;
}

function verdict(label: string, ratio: number, target: number, lowerIsBetter = true): string {
  const ok = lowerIsBetter ? ratio <= target : ratio >= target;
  return `${label.padEnd(34)} ${ratio.toFixed(3).padStart(7)}  target ${lowerIsBetter ? '≤' : '≥'} ${target}  ${ok ? 'MET' : 'MISSED'}`;
}

function compare(results: WorkerResult[], recalls: Map<string, number>): string[] {
  const ours = results.find((r) => r.engine === 'carebook');
  const orama = results.find((r) => r.engine === 'orama');
  const out: string[] = [];
  if (!ours || !orama) return out;
  const total = (r: WorkerResult) => r.heapBytes + r.externalBytes;
  for (const c of ['plain', 'typo', 'geo']) {
    const ratio = percentile(ours.latencies[c] ?? [], 95) / percentile(orama.latencies[c] ?? [], 95);
    out.push(verdict(`p95 ${c} vs Orama`, ratio, 0.5));
  }
  out.push(verdict('p95 whole mix vs Orama', p95All(ours) / p95All(orama), 0.5));
  out.push(verdict('heap (+array buffers) vs Orama', total(ours) / total(orama), 0.5));
  out.push(verdict('build time vs Orama', ours.buildMs / orama.buildMs, 1));
  const r = recalls.get('carebook');
  for (const other of ['orama', 'minisearch']) {
    const o = recalls.get(other);
    if (r !== undefined && o !== undefined) {
      out.push(
        `${`recall vs ${other}`.padEnd(34)} ${r.toFixed(3)} vs ${o.toFixed(3)}  target ≥  ${r >= o ? 'MET' : 'MISSED'}`,
      );
    }
  }
  return out;
}

function main(): void {
  const docs = Number(opt('docs', '100000'));
  const queries = Number(opt('queries', '150'));
  const budgetMs = Number(opt('budget-ms', '25000'));
  const engines = ['carebook', 'orama', 'minisearch'];
  console.log(
    `search bench: ${docs} listings, ${queries} queries per class (plain, typo, geo+filters+facets)`,
  );
  const results: WorkerResult[] = [];
  for (const e of engines) {
    process.stdout.write(`  running ${e}…\n`);
    results.push(runWorker(e, docs, queries, budgetMs));
  }
  const data = generate(docs);
  const typoQueries = queryMix(queries).filter((q) => q.cls === 'typo');
  const recalls = new Map(results.map((r) => [r.engine, recall(data, typoQueries, r.typoHits)]));
  console.log(`\n${table(results, recalls)}\n`);
  for (const line of compare(results, recalls)) console.log(line);

  if (argv.includes('--million') || argv.includes('--all-million')) {
    const big = argv.includes('--all-million') ? engines : ['carebook'];
    console.log(`\n1,000,000 listings (${big.join(', ')}):`);
    const bigResults = big.map((e) => runWorker(e, 1_000_000, 100, budgetMs));
    console.log(table(bigResults, new Map()));
    for (const r of bigResults) console.log(`${r.engine}: p95 whole mix ${p95All(r).toFixed(2)} ms`);
  }
}

main();
