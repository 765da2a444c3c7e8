/**
 * Merges look-ups by key made in the same turn of the event loop into one `loadMany` call (one
 * `WHERE id IN (…)` instead of one query per key), each distinct key asked once. Nothing is kept
 * afterwards: every look-up reads rows as they are after it was made, so this changes how many
 * statements run, never what they see. Event consumers handling a batch side by side ask for the
 * same listing, its owner and their patients at once.
 */
export function batchLoader<V>(
  loadMany: (keys: string[]) => Promise<V[]>,
  keyOf: (value: V) => string,
  maxBatch = 100,
): (key: string) => Promise<V | undefined> {
  let pending: Map<string, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]> | null =
    null;
  const flush = (batch: typeof pending & object) => {
    const keys = [...batch.keys()];
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += maxBatch) chunks.push(keys.slice(i, i + maxBatch));
    for (const chunk of chunks) {
      loadMany(chunk).then(
        (values) => {
          const found = new Map(values.map((v) => [keyOf(v), v]));
          for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.resolve(found.get(key));
        },
        (err: unknown) => {
          for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.reject(err);
        },
      );
    }
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<
          string,
          { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]
        >();
        pending = batch;
        setImmediate(() => {
          pending = null;
          flush(batch);
        });
      }
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
