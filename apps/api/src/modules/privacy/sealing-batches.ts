export interface LegacySealingProgress {
  /** Rows whose plaintext fields were sealed. */
  sealed: number;
  /** Rows another writer changed between read and update (left for the next run). */
  skipped: number;
}

/** One row to seal: `update` writes the sealed values only if the row is unchanged; false otherwise. */
export type Batch = { key: string; update: () => Promise<boolean> }[];

/**
 * The one loop of every legacy-sealing pass: runs each table's batches in turn, applying every
 * row's conditional update, reporting progress after each batch, and stopping between batches
 * when the signal is aborted (a later run finds what is left).
 */
export async function sealInBatches(
  steps: readonly [string, AsyncIterable<Batch>][],
  options: { signal?: AbortSignal; onBatch?: (table: string, p: LegacySealingProgress) => void },
): Promise<LegacySealingProgress> {
  const total: LegacySealingProgress = { sealed: 0, skipped: 0 };
  for (const [table, batches] of steps) {
    if (options.signal?.aborted) return total;
    for await (const batch of batches) {
      for (const item of batch) {
        if (await item.update()) total.sealed++;
        else total.skipped++;
      }
      options.onBatch?.(table, { ...total });
      if (options.signal?.aborted) return total;
    }
  }
  return total;
}

/**
 * Batches of a query that finds only rows still in plaintext: sealed rows drop out of it, so it
 * is asked again until only rows skipped before (changed meanwhile) come back.
 */
export async function* untilOnlySeen(next: () => Promise<Batch>): AsyncIterable<Batch> {
  const seen = new Set<string>();
  for (;;) {
    const fresh = (await next()).filter((b) => !seen.has(b.key));
    if (fresh.length === 0) return;
    for (const b of fresh) seen.add(b.key);
    yield fresh;
  }
}

/** Batches of a scan over every row in key order (the plaintext is inside a JSON value). */
export async function* byCursor(
  scan: (after: string) => Promise<{ items: Batch; last: string | null }>,
): AsyncIterable<Batch> {
  let after = '';
  for (;;) {
    const { items, last } = await scan(after);
    if (last === null) return;
    after = last;
    yield items;
  }
}
