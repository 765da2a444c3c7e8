import { describe, expect, it } from 'vitest';
import { MemoryRateCounter } from './memory';
import { rateCounterContract } from './rate-counter.contract';

rateCounterContract('memory', async () => {
  let now = Date.parse('2026-12-07T09:00:00Z');
  return {
    counter: new MemoryRateCounter(() => now),
    elapse: async (ms) => {
      now += ms;
    },
    windowMs: 60_000,
    dispose: async () => undefined,
  };
});

describe('MemoryRateCounter', () => {
  it('holds at most maxKeys windows: ended ones go first, then the oldest-opened tenth', () => {
    let now = 0;
    const counter = new MemoryRateCounter(() => now, 100);
    for (let i = 0; i < 100; i++) counter.hit(`old-${i}`, 1000);
    now = 500;
    for (let i = 0; i < 50; i++) counter.hit(`old-${i}`, 1000); // still open: counted in place
    expect(counter.size).toBe(100);
    // All 100 are live: the oldest tenth is dropped to make room.
    counter.hit('new-0', 1000);
    expect(counter.size).toBeLessThanOrEqual(91);
    expect(counter.hit('old-99', 1000).count).toBe(2);
    expect(counter.hit('old-0', 1000).count).toBe(1); // dropped: starts over
    // Once windows have ended, a sweep drops them all.
    now = 5000;
    for (let i = 0; i < 20; i++) counter.hit(`later-${i}`, 1000);
    expect(counter.size).toBe(20);
  });

  it('never grows past maxKeys under a flood of distinct keys', () => {
    const counter = new MemoryRateCounter(() => 0, 1000);
    for (let i = 0; i < 50_000; i++) counter.hit(`198.51.100.${i}`, 60_000);
    expect(counter.size).toBeLessThanOrEqual(1000);
    expect(counter.hit('198.51.100.49999', 60_000).count).toBe(2);
  });
});
