import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('booking shard settings', () => {
  it('is the one booking database by default', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app@db/carebook' });
    expect(config.shards.bookings.map((d) => d.url)).toEqual(['mysql://app@db/carebook']);
  });

  it('lists the booking databases, the first being the booking database, with the same pool settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://app@db/carebook',
      BOOKING_DATABASE_URLS: 'mysql://app@db/carebook, mysql://app@db2/bookings_1',
      DB_POOL_SIZE: '7',
    });
    expect(config.shards.bookings.map((d) => [d.url, d.poolSize])).toEqual([
      ['mysql://app@db/carebook', 7],
      ['mysql://app@db2/bookings_1', 7],
    ]);
  });

  it('refuses a bad entry, a repeated database and a first entry other than the booking database', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://a/b', BOOKING_DATABASE_URLS: 'postgres://x/y' })).toEqual([
      expect.stringMatching(/^BOOKING_DATABASE_URLS: each entry must start with sqlite: or mysql:\/\//),
    ]);
    expect(
      problemsOf({ DATABASE_URL: 'mysql://a/b', BOOKING_DATABASE_URLS: 'mysql://a/b,mysql://a/b' }),
    ).toEqual(['BOOKING_DATABASE_URLS: a database is listed twice']);
    expect(
      problemsOf({ BOOKING_DATABASE_URL: 'mysql://a/b', BOOKING_DATABASE_URLS: 'mysql://a/c,mysql://a/b' }),
    ).toEqual([expect.stringMatching(/its first entry must be the booking database/)]);
    expect(problemsOf({ DATABASE_URL: 'mysql://a/b', BOOKING_DATABASE_URLS: 'mysql://a/c' })).toEqual([
      expect.stringMatching(/its first entry must be the booking database .*"mysql:\/\/a\/b"/),
    ]);
  });
});
