import type { Counter, Histogram, LabelValues } from 'prom-client';

/**
 * Label-bound children of prom-client families for the hot paths (every request, statement, cache
 * read and event). prom-client's `inc(labels)`, `observe(labels, v)` and even a `labels(...)`
 * child validate the label object and rebuild its hash string on every call; `startTimer` adds an
 * `hrtime` array, two closures and an `Object.assign`. A child here finds its series once — the
 * first call goes through prom-client, which makes the series exactly as before — and from then on
 * adds to that series' entry in place (a counter's `value`; a histogram's `sum`, `count` and
 * bucket), which is what prom-client's own `inc`/`observe` do after hashing. Exposition, `reset()`
 * and the registry are prom-client's, unchanged: the same names, labels, buckets and HELP.
 *
 * The entry is prom-client's internal `hashMap[hash]` (prom-client 15). A child checks on each call
 * that the map still holds its entry under the same key, so a `reset()` or `remove()` sends it back
 * through prom-client; metric-children.test.ts compares the children's exposition with the
 * ordinary calls', which a prom-client upgrade changing those internals would fail.
 */

type Labels = LabelValues<string>;
interface CounterEntry {
  labels: Labels;
  value: number;
}
interface HistogramEntry {
  labels: Labels;
  sum: number;
  count: number;
  bucketValues: Record<string, number>;
}
interface Family<E> {
  hashMap: Record<string, E>;
  labelNames: readonly string[];
}

/** The key prom-client keeps `labels`' series under: the entry holding this very object, else equal values. */
function entryKey<E extends { labels: Labels }>(family: Family<E>, labels: Labels): string | undefined {
  let equal: string | undefined;
  for (const [key, entry] of Object.entries(family.hashMap)) {
    if (entry.labels === labels) return key;
    if (equal === undefined && family.labelNames.every((n) => String(entry.labels[n]) === String(labels[n])))
      equal = key;
  }
  return equal;
}

export class CounterChild {
  private key: string | undefined;
  private entry: CounterEntry | undefined;

  constructor(
    private readonly counter: Counter<string>,
    private readonly labels: Labels,
  ) {}

  inc(by = 1): void {
    const map = (this.counter as unknown as Family<CounterEntry>).hashMap;
    const entry = this.entry;
    // A negative, infinite or NaN step goes to prom-client, which refuses it.
    if (
      entry !== undefined &&
      map[this.key as string] === entry &&
      by >= 0 &&
      by !== Number.POSITIVE_INFINITY
    ) {
      entry.value += by;
      return;
    }
    this.counter.inc(this.labels, by);
    this.bind();
  }

  private bind(): void {
    const family = this.counter as unknown as Family<CounterEntry>;
    this.key = entryKey(family, this.labels);
    this.entry = this.key === undefined ? undefined : family.hashMap[this.key];
  }
}

export class HistogramChild {
  private key: string | undefined;
  private entry: HistogramEntry | undefined;
  /** The upper bounds and, beside them, the property names prom-client keeps their counts under. */
  private readonly bounds: readonly number[];
  private readonly boundKeys: readonly string[];

  constructor(
    private readonly histogram: Histogram<string>,
    private readonly labels: Labels,
  ) {
    this.bounds = (histogram as unknown as { upperBounds: number[] }).upperBounds;
    this.boundKeys = this.bounds.map(String);
  }

  observe(value: number): void {
    const map = (this.histogram as unknown as Family<HistogramEntry>).hashMap;
    const entry = this.entry;
    if (entry === undefined || map[this.key as string] !== entry || !Number.isFinite(value)) {
      this.histogram.observe(this.labels, value);
      this.bind();
      return;
    }
    entry.sum += value;
    entry.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (entry.bucketValues[this.boundKeys[i] as string] as number) += 1;
        return;
      }
    }
  }

  /** Observes the seconds since `startMs` (a `performance.now()` reading). */
  observeSince(startMs: number): void {
    this.observe((performance.now() - startMs) / 1000);
  }

  private bind(): void {
    const family = this.histogram as unknown as Family<HistogramEntry>;
    this.key = entryKey(family, this.labels);
    this.entry = this.key === undefined ? undefined : family.hashMap[this.key];
  }
}

/**
 * Children of one family by a caller's cheap key (`GET /healthz 200`, `select`): a Map lookup on
 * the hot path, the label object made only for a new key.
 */
export class Children<C> {
  private readonly byKey = new Map<string, C>();

  constructor(private readonly make: (labels: Labels) => C) {}

  get(key: string): C | undefined {
    return this.byKey.get(key);
  }

  add(key: string, labels: Labels): C {
    const child = this.make(labels);
    this.byKey.set(key, child);
    return child;
  }
}
