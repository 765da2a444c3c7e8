/** A replica that did not answer within the read deadline (REPLICA_READ_TIMEOUT_MS). */
export class ReplicaTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'ReplicaTimeoutError';
  }
}

/**
 * `work` or, after `ms`, a ReplicaTimeoutError. A hung server (a frozen process, a network path
 * that drops packets) answers nothing and never closes its connections, so without a deadline a
 * read — or a health check — would wait forever. What `work` gives after the deadline is handed
 * to `late` (e.g. to release a connection), and its failure is swallowed.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, late?: (value: T) => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new ReplicaTimeoutError(ms));
    }, ms);
  });
  work.then(
    (value) => {
      if (timedOut) void Promise.resolve(late?.(value)).catch(() => undefined);
    },
    () => undefined,
  );
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
