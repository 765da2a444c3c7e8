/**
 * Search benchmark: our engine vs @orama/orama vs minisearch vs OpenSearch 2.19 on the same
 * generated listings.
 *   node --import tsx tools/bench/search/index.ts [--docs 100000] [--queries 150] [--budget-ms 25000]
 *                                                [--million] [--all-million] [--no-opensearch]
 * OpenSearch is a node from tools/engines (Maven Central; 1 GB heap) started for the run, or the
 * one at SEARCH_URL; it is queried through the API's own adapter, over HTTP on this machine.
 * Each engine runs in its own child process (honest heap numbers, no cross-talk), one after the
 * other. Each query class gets a third of --budget-ms of query time (at least 3 queries); the table
 * shows how many queries of each class ran (slow engines are sampled, never skipped).
 */

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missingPrerequisites, OpenSearchNode } from '../../engines/engines';
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

async function runWorker(
  engine: string,
  docs: number,
  queries: number,
  budgetMs: number,
  extra: string[] = [],
): Promise<WorkerResult> {
  const args = [
    '--engine',
    engine,
    '--docs',
    String(docs),
    '--queries',
    String(queries),
    '--budget-ms',
    String(budgetMs),
    ...extra,
  ];
  // Asynchronous, so an OpenSearch node started by this process keeps being served meanwhile.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', '--max-old-space-size=12288', WORKER, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${engine} worker failed (${code}): ${stderr}`);
  const line = stdout.trim().split('\n').at(-1) ?? '';
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
  const os = results.find((x) => x.engine === 'opensearch');
  if (os) {
    for (const c of ['plain', 'typo', 'geo']) {
      const ratio = percentile(ours.latencies[c] ?? [], 95) / percentile(os.latencies[c] ?? [], 95);
      out.push(verdict(`p95 ${c} vs OpenSearch`, ratio, 0.25));
    }
    out.push(verdict('build time vs OpenSearch', ours.buildMs / os.buildMs, 1));
  }
  const r = recalls.get('carebook');
  for (const other of ['orama', 'minisearch', 'opensearch']) {
    const o = recalls.get(other);
    if (r !== undefined && o !== undefined) {
      out.push(
        `${`recall vs ${other}`.padEnd(34)} ${r.toFixed(3)} vs ${o.toFixed(3)}  target ≥  ${r >= o ? 'MET' : 'MISSED'}`,
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
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
    results.push(await runWorker(e, docs, queries, budgetMs));
  }
  const missing = argv.includes('--no-opensearch') ? 'skipped (--no-opensearch)' : missingPrerequisites();
  if (missing && !process.env.SEARCH_URL) console.log(`  OpenSearch not run: ${missing}`);
  else {
    const node = process.env.SEARCH_URL
      ? undefined
      : await OpenSearchNode.start({ heap: '1g', log: (l) => console.log(`  ${l}`) });
    try {
      process.stdout.write('  running opensearch…\n');
      const url = process.env.SEARCH_URL ?? node?.url ?? '';
      results.push(await runWorker('opensearch', docs, queries, budgetMs, ['--search-url', url]));
    } finally {
      await node?.destroy();
    }
  }
  const data = generate(docs);
  const typoQueries = queryMix(queries).filter((q) => q.cls === 'typo');
  const recalls = new Map(results.map((r) => [r.engine, recall(data, typoQueries, r.typoHits)]));
  console.log(`\n${table(results, recalls)}\n`);
  if (results.some((x) => x.memoryNote))
    console.log(
      'opensearch heap = JVM heap growth over the build; heap+buffers adds the index store on disk\n',
    );
  for (const line of compare(results, recalls)) console.log(line);

  if (argv.includes('--million') || argv.includes('--all-million')) {
    const big = argv.includes('--all-million') ? engines : ['carebook'];
    console.log(`\n1,000,000 listings (${big.join(', ')}):`);
    const bigResults: WorkerResult[] = [];
    for (const e of big) bigResults.push(await runWorker(e, 1_000_000, 100, budgetMs));
    console.log(table(bigResults, new Map()));
    for (const r of bigResults) console.log(`${r.engine}: p95 whole mix ${p95All(r).toFixed(2)} ms`);
  }
}

await main();
