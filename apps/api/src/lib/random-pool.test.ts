import { describe, expect, it } from 'vitest';
import { RandomPool } from './random-pool';

describe('RandomPool', () => {
  it('hands out bytes that are never handed out again, across refills', () => {
    const pool = new RandomPool(64);
    const seen = new Set<string>();
    const views: [Buffer, string][] = [];
    for (let i = 0; i < 1000; i++) {
      const iv = pool.bytes(12);
      expect(iv).toHaveLength(12);
      const hex = iv.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      views.push([iv, hex]);
    }
    // A refill makes a new buffer: the views handed out earlier still read what they read then.
    for (const [view, hex] of views) expect(view.toString('hex')).toBe(hex);
  });

  it('gives a request larger than the pool its own bytes', () => {
    const pool = new RandomPool(16);
    const big = pool.bytes(100);
    expect(big).toHaveLength(100);
    expect(new Set(big).size).toBeGreaterThan(20);
  });

  it('gives 32-bit words spread over their whole range', () => {
    const pool = new RandomPool();
    const words = Array.from({ length: 4000 }, () => pool.nextUint32());
    expect(words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)).toBe(true);
    expect(new Set(words).size).toBe(words.length);
    // Each of the 32 bits is set in about half of the words (4000 draws: 2000 ± 5 sd ≈ ±160).
    for (let bit = 0; bit < 32; bit++) {
      const set = words.filter((w) => (w >>> bit) & 1).length;
      expect(set).toBeGreaterThan(1840);
      expect(set).toBeLessThan(2160);
    }
  });
});
