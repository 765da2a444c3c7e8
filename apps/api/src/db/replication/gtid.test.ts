import { describe, expect, it } from 'vitest';
import { formatConsistencyToken, mergeConsistencyTokens, parseConsistencyToken } from './consistency-token';
import {
  formatGtidPosition,
  mergeGtidPositions,
  parseGtidPosition,
  reached,
  transactionsBehind,
} from './gtid';

const pos = (text: string) => {
  const p = parseGtidPosition(text);
  if (!p) throw new Error(`bad position ${text}`);
  return p;
};

describe('GTID positions', () => {
  it('parses, formats and refuses what is not a position', () => {
    expect(formatGtidPosition(pos('1-3-7,0-1-105'))).toBe('0-1-105,1-3-7');
    expect(pos('').size).toBe(0);
    for (const bad of ['x', '0-1', '0-1-2-3', '0-1-2,', '-1-1-1', '0-1-99999999999999999999', '1-1-1;drop'])
      expect(parseGtidPosition(bad), bad).toBeNull();
    expect(parseGtidPosition(Array.from({ length: 17 }, (_, i) => `${i}-1-1`).join(','))).toBeNull();
  });

  it('compares per domain by sequence number, across server ids (a failover)', () => {
    expect(reached(pos('0-1-10'), pos('0-1-10'))).toBe(true);
    expect(reached(pos('0-1-10'), pos('0-2-11'))).toBe(true);
    expect(reached(pos('0-1-10'), pos('0-1-9'))).toBe(false);
    expect(reached(pos('0-1-10,1-1-1'), pos('0-1-10'))).toBe(false);
    expect(reached(pos('0-1-10'), undefined)).toBe(false);
    expect(transactionsBehind(pos('0-1-10,1-1-5'), pos('0-1-7'))).toBe(8);
    expect(transactionsBehind(pos('0-1-10'), pos('0-1-12'))).toBe(0);
    expect(formatGtidPosition(mergeGtidPositions(pos('0-1-10,1-1-1'), pos('0-2-12')))).toBe('0-2-12,1-1-1');
  });
});

describe('consistency token', () => {
  it('round-trips and drops what it does not know, never failing', () => {
    const token = parseConsistencyToken('inventory=0-1-5;bookings=0-1-9');
    expect(formatConsistencyToken(token)).toBe('inventory=0-1-5;bookings=0-1-9');
    expect(formatConsistencyToken(parseConsistencyToken('bookings=0-1-9;nope=0-1-1;inventory=garbage'))).toBe(
      'bookings=0-1-9',
    );
    expect(parseConsistencyToken(undefined).size).toBe(0);
    expect(parseConsistencyToken(`inventory=${'0-1-1,'.repeat(300)}0-1-1`).size).toBe(0);
  });

  it('merges to the later position per database and domain', () => {
    const merged = mergeConsistencyTokens(
      parseConsistencyToken('inventory=0-1-5;bookings=0-1-9'),
      parseConsistencyToken('bookings=0-1-8,1-2-3;inventory=0-1-6'),
    );
    expect(formatConsistencyToken(merged)).toBe('inventory=0-1-6;bookings=0-1-9,1-2-3');
  });
});
