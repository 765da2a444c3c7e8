import { beforeEach, describe, expect, it } from 'vitest';
import { consistencyToken, mergeTokens, rememberConsistency } from './consistency';

describe('consistency token (read-your-writes)', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the later position per database and domain, whatever order answers arrive in', () => {
    expect(mergeTokens(null, 'inventory=0-1-5')).toBe('inventory=0-1-5');
    expect(mergeTokens('inventory=0-1-5;bookings=0-1-9', 'bookings=0-1-7,1-2-3')).toBe(
      'inventory=0-1-5;bookings=0-1-9,1-2-3',
    );
    expect(mergeTokens('inventory=0-1-9', 'inventory=0-2-10')).toBe('inventory=0-2-10');
    expect(mergeTokens('inventory=0-1-9', 'inventory=junk')).toBe('inventory=0-1-9');
  });

  it('remembers what responses carried and shares it across tabs (localStorage)', () => {
    expect(consistencyToken()).toBeNull();
    rememberConsistency('inventory=0-1-5');
    rememberConsistency(null);
    rememberConsistency('bookings=0-1-2');
    expect(consistencyToken()).toBe('inventory=0-1-5;bookings=0-1-2');
    expect(localStorage.getItem('carebook.consistency')).toBe('inventory=0-1-5;bookings=0-1-2');
  });
});
