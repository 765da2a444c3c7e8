import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateCounter, RateWindow } from '../../ports/rate-counter';

export interface RateCounterHarness {
  /** A counter that has counted nothing. */
  counter: RateCounter;
  /** Lets at least `ms` pass for the windows: moves a test clock, or really waits. */
  elapse(ms: number): Promise<void>;
  /** The window length the tests use: long enough for a real server to answer several hits within it. */
  windowMs: number;
  dispose(): Promise<void>;
}

/** The one contract every RateCounter adapter passes. */
export function rateCounterContract(name: string, factory: () => Promise<RateCounterHarness>): void {
  describe(`RateCounter contract [${name}]`, () => {
    let h: RateCounterHarness;
    const hit = (key: string): Promise<RateWindow> => Promise.resolve(h.counter.hit(key, h.windowMs));
    beforeEach(async () => {
      h = await factory();
      await h.counter.ready();
    });
    afterEach(() => h.dispose());

    it('counts each key apart, from 1, with the time left in its window', async () => {
      const counts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const w = await hit('203.0.113.7');
        counts.push(w.count);
        expect(w.resetInMs).toBeGreaterThan(0);
        expect(w.resetInMs).toBeLessThanOrEqual(h.windowMs);
      }
      expect(counts).toEqual([1, 2, 3, 4, 5]);
      expect((await hit('203.0.113.8')).count).toBe(1);
      expect((await hit('2001:db8::1')).count).toBe(1);
      expect((await hit('GET/api/v1/availability/stream-203.0.113.7')).count).toBe(1);
      expect((await hit('203.0.113.7')).count).toBe(6);
    });

    it('starts over once the window has ended', async () => {
      expect((await hit('a')).count).toBe(1);
      expect((await hit('a')).count).toBe(2);
      await h.elapse(h.windowMs + 20);
      const w = await hit('a');
      expect(w.count).toBe(1);
      expect(w.resetInMs).toBeGreaterThan(h.windowMs / 2);
    });

    it('counts concurrent hits exactly once each', async () => {
      const all = await Promise.all(Array.from({ length: 60 }, () => hit('burst')));
      expect(all.map((w) => w.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
    });

    it('takes any text as a key', async () => {
      const keys = ['no-ip', 'ü/東京 🦷', '', 'a\nb', 'x'.repeat(300)];
      for (const key of keys) expect((await hit(key)).count).toBe(1);
      for (const key of keys) expect((await hit(key)).count).toBe(2);
    });
  });
}
