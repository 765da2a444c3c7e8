/**
 * Merges writes asked for in the same turn of the event loop into one `writeMany` call, in the
 * order they were asked: event consumers handling a batch side by side each store a row or two,
 * and one statement for all of them is one commit on SQLite and one round trip on MySQL instead of
 * one per event. `writeMany` answers each item, in order (`results[i]` for `items[i]`); if it
 * throws, every caller of that batch gets the error (callers are event handlers: the bus delivers
 * again, and the writes are idempotent). At most `maxBatch` items per call. The call runs in the
 * async context of the turn's first caller (a tracing span sees it there), as `batchLoader`'s do.
 */
export function batchWriter<I, O>(
  writeMany: (items: I[]) => Promise<O[]>,
  maxBatch = 200,
): (item: I) => Promise<O> {
  type Waiting = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[];
  let pending: Waiting | null = null;
  const run = (batch: Waiting) => {
    for (let i = 0; i < batch.length; i += maxBatch) {
      const chunk = batch.slice(i, i + maxBatch);
      // Started from a settled promise: a writeMany that throws at once rejects, it does not throw
      // out of the timer.
      Promise.resolve(chunk.map((w) => w.item))
        .then(writeMany)
        .then((results) => {
          if (results.length !== chunk.length)
            throw new Error(`batchWriter: ${results.length} results for ${chunk.length} items`);
          chunk.forEach((w, j) => {
            w.resolve(results[j] as O);
          });
        })
        .catch((err: unknown) => {
          for (const w of chunk) w.reject(err);
        });
    }
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (!pending) {
        const batch: Waiting = [];
        pending = batch;
        setImmediate(() => {
          pending = null;
          run(batch);
        });
      }
      pending.push({ item, resolve, reject });
    });
}
