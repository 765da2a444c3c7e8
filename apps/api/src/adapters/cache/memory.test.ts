import { describe, expect, it } from 'vitest';
import type { Clock } from '../../ports/clock';
import { cacheContract } from './cache.contract';
import { MemoryCache } from './memory';

class ManualClock implements Clock {
  private ms = Date.parse('2026-11-24T12:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

cacheContract('memory', async () => {
  const clock = new ManualClock();
  return {
    cache: new MemoryCache({ clock }),
    elapse: async (ms) => clock.advance(ms),
    dispose: async () => {},
  };
});

describe('MemoryCache', () => {
  it('keeps an entry until exactly its TTL has passed on its clock', async () => {
    const clock = new ManualClock();
    const cache = new MemoryCache({ clock });
    await cache.set('k', 'v', { ttlSeconds: 1.5 });
    clock.advance(1499);
    expect(await cache.get('k')).toBe('v');
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entries beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await cache.set(key, key, { ttlSeconds: 60 });
    await cache.get('a');
    await cache.set('d', 'd', { ttlSeconds: 60 });
    expect(await cache.get('b')).toBeUndefined();
    expect([await cache.get('a'), await cache.get('c'), await cache.get('d')]).toEqual(['a', 'c', 'd']);
  });

  it('hands out copies: mutating a value read or written does not change the entry', async () => {
    const cache = new MemoryCache();
    const value = { list: [1] };
    await cache.set('k', value, { ttlSeconds: 60 });
    value.list.push(2);
    const read = await cache.get<{ list: number[] }>('k');
    read?.list.push(3);
    expect(await cache.get('k')).toEqual({ list: [1] });
  });
});
