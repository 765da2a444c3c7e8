import { describe, expect, it } from 'vitest';
import { dateOfBirthProblem } from './date-of-birth';

describe('date of birth', () => {
  const now = new Date('2026-12-07T03:00:00.000Z');

  it('accepts real past dates, today included wherever it is already today', () => {
    expect(dateOfBirthProblem('1985-04-23', now)).toBeNull();
    expect(dateOfBirthProblem('2024-02-29', now)).toBeNull();
    expect(dateOfBirthProblem('2026-12-07', now)).toBeNull();
    // 03:00 UTC is already 17:00 on 7 December in Kiribati (UTC+14), not yet the 8th anywhere.
    expect(dateOfBirthProblem('2026-12-08', now)).toBe('cannot be in the future');
  });

  it('refuses dates that do not exist, the future, and more than 130 years back', () => {
    expect(dateOfBirthProblem('2023-02-29', now)).toBe('is not a calendar date');
    expect(dateOfBirthProblem('1990-13-01', now)).toBe('is not a calendar date');
    expect(dateOfBirthProblem('23/04/1985', now)).toMatch(/like 1985-04-23/);
    expect(dateOfBirthProblem('2030-01-01', now)).toBe('cannot be in the future');
    expect(dateOfBirthProblem('1896-12-05', now)).toMatch(/130 years/);
    expect(dateOfBirthProblem('1896-12-06', now)).toBeNull();
  });
});
