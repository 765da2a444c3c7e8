import { describe, expect, it } from 'vitest';
import { averageRating, reviewAuthor, reviewWindowOpen } from './review-rules';

describe('review rules', () => {
  it('shows first name and initial unless the patient chose the full name', () => {
    expect(reviewAuthor('Ada Augusta Lovelace', false)).toBe('Ada L.');
    expect(reviewAuthor('  ada   lovelace ', false)).toBe('ada L.');
    expect(reviewAuthor('Ada Augusta Lovelace', true)).toBe('Ada Augusta Lovelace');
    expect(reviewAuthor('Cher', false)).toBe('Cher');
    expect(reviewAuthor('Émile Ögren', false)).toBe('Émile Ö.');
    expect(reviewAuthor('   ', false)).toBe('A patient');
  });

  it('opens the window at completion and closes it after the configured days', () => {
    const done = new Date('2026-12-01T10:00:00.000Z');
    expect(reviewWindowOpen(done, new Date('2026-12-01T09:59:59.000Z'), 90)).toBe(false);
    expect(reviewWindowOpen(done, done, 90)).toBe(true);
    expect(reviewWindowOpen(done, new Date('2027-03-01T10:00:00.000Z'), 90)).toBe(true);
    expect(reviewWindowOpen(done, new Date('2027-03-01T10:00:01.000Z'), 90)).toBe(false);
  });

  it('averages to one decimal', () => {
    expect(averageRating(0, 0)).toBeNull();
    expect(averageRating(14, 3)).toBe(4.7);
  });
});
