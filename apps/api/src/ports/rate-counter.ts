/**
 * Fixed-window request counts per key, behind the API's rate limit (http/rate-limit.ts): shared by
 * every instance (Redis) or local to one process (memory). Every adapter passes
 * `adapters/rate-limit/rate-counter.contract.ts`.
 */
export interface RateWindow {
  /** Requests counted in the key's current window, this one included (1 for the first). */
  count: number;
  /** Milliseconds until the window ends and the count starts over; in (0, windowMs]. */
  resetInMs: number;
}

export interface RateCounter {
  /**
   * Counts one request for `key`. A window opens at a key's first request and lasts `windowMs`;
   * the next request after it ends opens a new one. Synchronous when the counts are in this
   * process, so a limited request pays no promise for them; rejects when a shared store cannot
   * be reached (the caller decides whether to let the request through).
   */
  hit(key: string, windowMs: number): RateWindow | Promise<RateWindow>;
  /** Resolves once the store can count, or after `waitMs` (start-up never blocks on it). */
  ready(waitMs?: number): Promise<void>;
  close(): Promise<void>;
}
