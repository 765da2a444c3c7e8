/**
 * Merges calls of an idempotent refresh per key. At most one run per key is in flight; a call made
 * while one runs joins the single run queued behind it, which starts after the current one ends
 * and so sees every change made before any of its callers called. Each caller's promise settles
 * with the run that covers it (a failure reaches every caller of that run, so an event consumer
 * still fails and is redelivered). Under a burst of N calls for one key this does 2 runs, not N.
 */
export function coalescePerKey(work: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();
  const queued = new Map<string, Promise<void>>();
  const start = (key: string): Promise<void> => {
    const run = work(key);
    running.set(key, run);
    const clear = () => {
      if (running.get(key) === run) running.delete(key);
    };
    run.then(clear, clear);
    return run;
  };
  return (key) => {
    const waiting = queued.get(key);
    if (waiting) return waiting;
    const current = running.get(key);
    if (!current) return start(key);
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued.delete(key);
        return start(key);
      });
    queued.set(key, next);
    return next;
  };
}
