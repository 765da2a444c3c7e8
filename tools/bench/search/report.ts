/** Statistics, recall and the printed comparison table. */

import type { ProviderDoc } from '@carebook/search-engine';
import type { BenchQuery } from './queries';
import type { WorkerResult } from './worker';

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * Mean over misspelled queries of |top10 ∩ relevant| / min(10, |relevant|), where relevant = the
 * documents containing every correctly spelled word. Only the queries an engine ran are counted.
 */
export function recall(docs: ProviderDoc[], queries: BenchQuery[], hits: string[][]): number {
  const index = new Map<string, Set<string>>();
  for (const d of docs) {
    const text = [d.name, ...d.specialtyNames, ...d.conditions, ...d.services, d.city, ...d.insurance].join(
      ' ',
    );
    for (const w of new Set(words(text))) {
      let set = index.get(w);
      if (!set) {
        set = new Set();
        index.set(w, set);
      }
      set.add(d.id);
    }
  }
  let sum = 0;
  let n = 0;
  queries.slice(0, hits.length).forEach((q, i) => {
    const truth = (q.truthWords ?? []).map((w) => index.get(w) ?? new Set<string>());
    const relevant = (id: string) => truth.every((s) => s.has(id));
    const size = Math.min(...truth.map((s) => s.size));
    if (truth.length === 0 || size === 0) return;
    const first = truth[0] ?? new Set<string>();
    let total = 0;
    for (const id of first) if (relevant(id)) total++;
    if (total === 0) return;
    const got = (hits[i] ?? []).filter(relevant).length;
    sum += got / Math.min(10, total);
    n++;
  });
  return n === 0 ? Number.NaN : sum / n;
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pad = (s: string, n: number) => s.padEnd(n);

export function table(results: WorkerResult[], recalls: Map<string, number>): string {
  const cols = [
    'engine',
    'build',
    'heap',
    'heap+buffers',
    'plain p50/p95',
    'typo p50/p95',
    'geo p50/p95',
    'recall',
    'queries p/t/g',
  ];
  const widths = [12, 9, 10, 13, 17, 17, 17, 7, 18];
  const lines = [cols.map((c, i) => pad(c, widths[i] ?? 10)).join(' ')];
  for (const r of results) {
    const lat = (c: string) =>
      `${ms(percentile(r.latencies[c] ?? [], 50))}/${ms(percentile(r.latencies[c] ?? [], 95))} ms`;
    const rec = recalls.get(r.engine);
    const row = [
      r.engine,
      `${(r.buildMs / 1000).toFixed(2)} s`,
      mb(r.heapBytes),
      mb(r.heapBytes + r.externalBytes),
      lat('plain'),
      lat('typo'),
      lat('geo'),
      rec === undefined ? 'n/a' : rec.toFixed(3),
      `${r.queriesRun.plain}/${r.queriesRun.typo}/${r.queriesRun.geo} of ${r.queriesPlanned}`,
    ];
    lines.push(row.map((c, i) => pad(c, widths[i] ?? 10)).join(' '));
  }
  return lines.join('\n');
}

/** Worst-class p95 across the mix. */
export function p95All(r: WorkerResult): number {
  return percentile(Object.values(r.latencies).flat(), 95);
}
