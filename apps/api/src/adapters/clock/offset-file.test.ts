import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { offsetFileClock } from './offset-file';

describe('offsetFileClock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebook-clock-'));
  const file = join(dir, 'offset-ms');
  const real = Date.parse('2026-12-06T10:00:00.000Z');
  const clock = offsetFileClock(file, () => real);
  afterEach(() => rmSync(file, { force: true }));

  it('is the real time while no offset is written', () => {
    expect(clock.now().toISOString()).toBe('2026-12-06T10:00:00.000Z');
    writeFileSync(file, '');
    expect(clock.now().toISOString()).toBe('2026-12-06T10:00:00.000Z');
  });

  it('adds the offset written to the file, read again on every call', () => {
    writeFileSync(file, '90000\n');
    expect(clock.now().toISOString()).toBe('2026-12-06T10:01:30.000Z');
    writeFileSync(file, '300000');
    expect(clock.now().toISOString()).toBe('2026-12-06T10:05:00.000Z');
  });

  it('refuses an offset that is not a whole number of milliseconds', () => {
    writeFileSync(file, 'five minutes');
    expect(() => clock.now()).toThrow(/not a whole number of ms/);
  });
});
