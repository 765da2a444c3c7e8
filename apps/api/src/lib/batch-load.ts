import { batchWriter } from './batch-write';

/**
 * Merges look-ups by key made in the same turn of the event loop into one `loadMany` call (one
 * `WHERE id IN (…)` instead of one query per key), each distinct key asked once. Nothing is kept
 * afterwards: every look-up reads rows as they are after it was made, so this changes how many
 * statements run, never what they see. Event consumers handling a batch side by side ask for the
 * same listing, its owner and their patients at once. The turn's gathering is `batchWriter`'s.
 */
export function batchLoader<V>(
  loadMany: (keys: string[]) => Promise<V[]>,
  keyOf: (value: V) => string,
  maxBatch = 100,
): (key: string) => Promise<V | undefined> {
  return batchWriter<string, V | undefined>(async (keys) => {
    const found = new Map((await loadMany([...new Set(keys)])).map((v) => [keyOf(v), v]));
    return keys.map((key) => found.get(key));
  }, maxBatch);
}
