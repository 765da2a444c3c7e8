import { describe, expect, it } from 'vitest';
import { SearchKeyMemo } from './search-key-memo';

const T = Date.UTC(2030, 0, 1, 12, 0, 10);

describe('SearchKeyMemo', () => {
  it('gives back the key of a query string in the same minute and index version only', () => {
    const memo = new SearchKeyMemo();
    memo.remember('q=skin&size=5', T, 3, 'key-a');
    expect(memo.lookup('q=skin&size=5', T + 40_000, 3)).toBe('key-a');
    expect(memo.lookup('q=skin&size=5', T + 50_000, 3)).toBeUndefined(); // the next minute
    expect(memo.lookup('q=skin&size=5', T, 4)).toBeUndefined(); // the index changed
    expect(memo.lookup('size=5&q=skin', T, 3)).toBeUndefined();
    expect(memo.lookup(undefined, T, 3)).toBeUndefined();
  });

  it('keeps at most 512 query strings, the oldest out first, and none over 1 KiB', () => {
    const memo = new SearchKeyMemo();
    memo.remember(`q=${'x'.repeat(1100)}`, T, 1, 'long');
    expect(memo.lookup(`q=${'x'.repeat(1100)}`, T, 1)).toBeUndefined();
    for (let i = 0; i < 513; i++) memo.remember(`q=${i}`, T, 1, `key-${i}`);
    expect(memo.lookup('q=0', T, 1)).toBeUndefined();
    expect(memo.lookup('q=1', T, 1)).toBe('key-1');
    expect(memo.lookup('q=512', T, 1)).toBe('key-512');
  });
});
