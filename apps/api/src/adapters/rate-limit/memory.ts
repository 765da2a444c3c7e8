import type { RateCounter, RateWindow } from '../../ports/rate-counter';

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Counts in this process: one Map entry per key, updated in place, answered synchronously.
 * Bounded: with `maxKeys` live windows (a flood from many addresses), the windows that ended are
 * dropped, and if that frees less than a tenth, the oldest-opened tenth goes too (those clients
 * start a new window early; nobody is refused for it). The cost of a sweep is spread over the
 * tenth of `maxKeys` new keys that follow it.
 */
export class MemoryRateCounter implements RateCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  hit(key: string, windowMs: number): RateWindow {
    const now = this.now();
    let w = this.windows.get(key);
    if (w === undefined || w.endsAt <= now) {
      // Re-inserted, so the Map's order stays the order in which windows opened.
      if (w !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.sweep(now);
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetInMs: w.endsAt - now };
  }

  /** Live windows, for tests and metrics. */
  get size(): number {
    return this.windows.size;
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    const target = this.maxKeys - Math.max(1, Math.floor(this.maxKeys / 10));
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(key);
    }
  }
}
