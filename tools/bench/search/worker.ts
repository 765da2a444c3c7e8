/**
 * One engine in its own process: generate data, measure heap, build, measure again, run the query
 * mix, print one JSON line. Run by index.ts with --expose-gc so heap numbers are after a full GC.
 */

import { type BenchEngine, makeEngine } from './engines';
import { generate } from './generate';
import { OpenSearchBench } from './opensearch';
import { queryMix } from './queries';

export interface WorkerResult {
  engine: string;
  docs: number;
  buildMs: number;
  heapBytes: number;
  externalBytes: number;
  latencies: Record<string, number[]>;
  /** CPU time of the process per query (user + system, ms): less sensitive to a busy machine. */
  cpu: Record<string, number[]>;
  typoHits: string[][];
  /** Queries run per class before that class's share of the time budget ran out. */
  queriesRun: Record<string, number>;
  queriesPlanned: number;
  memoryNote?: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function memory(): { heap: number; external: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.arrayBuffers };
}

async function main(): Promise<void> {
  const engineName = arg('engine', 'carebook');
  const docs = Number(arg('docs', '100000'));
  const perClass = Number(arg('queries', '150'));
  const budgetMs = Number(arg('budget-ms', '45000'));
  const data = generate(docs);
  const engine: BenchEngine =
    engineName === 'opensearch' ? new OpenSearchBench(arg('search-url', '')) : makeEngine(engineName);
  engine.prepare(data);
  const queries = queryMix(perClass);
  const measure = async () => (engine.memory ? engine.memory() : memory());
  const before = await measure();
  const t0 = performance.now();
  await engine.build();
  const buildMs = performance.now() - t0;
  const after = await measure();

  // Warm-up (JIT) on a separate slice of the same mix, then the measured run.
  for (const q of queryMix(10, 99)) await engine.query(q);
  const latencies: Record<string, number[]> = { plain: [], typo: [], geo: [] };
  const cpu: Record<string, number[]> = { plain: [], typo: [], geo: [] };
  const typoHits: string[][] = [];
  const queriesRun: Record<string, number> = { plain: 0, typo: 0, geo: 0 };
  // Each class gets a third of the budget (checked between queries, at least 3 queries), so one
  // pathological class cannot starve the others; the table shows how many queries ran.
  for (const cls of ['typo', 'plain', 'geo'] as const) {
    const started = performance.now();
    for (const q of queries) {
      if (q.cls !== cls) continue;
      if ((queriesRun[cls] ?? 0) >= 3 && performance.now() - started > budgetMs / 3) break;
      const c = process.cpuUsage();
      const s = performance.now();
      const ids = await engine.query(q);
      latencies[cls]?.push(performance.now() - s);
      const used = process.cpuUsage(c);
      cpu[cls]?.push((used.user + used.system) / 1000);
      if (cls === 'typo') typoHits.push(ids);
      queriesRun[cls] = (queriesRun[cls] ?? 0) + 1;
    }
  }
  await engine.destroy?.();
  const result: WorkerResult = {
    engine: engineName,
    docs,
    buildMs,
    heapBytes: after.heap - before.heap,
    externalBytes: after.external - before.external,
    ...(engine.memory ? { memoryNote: 'JVM heap growth + index store on disk' } : {}),
    latencies,
    cpu,
    typoHits,
    queriesRun,
    queriesPlanned: perClass,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
