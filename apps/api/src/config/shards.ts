import type { DatabaseConfig } from './config';
import { redactUrl } from './redact';

type Env = Record<string, string | undefined>;

/**
 * Booking shards (docs/scaling.md): BOOKING_DATABASE_URLS lists the booking databases, the first
 * being the booking database (BOOKING_DATABASE_URL, which it defaults to). Unset, there is one.
 */
export interface ShardConfig {
  bookings: DatabaseConfig[];
}

export function readShardConfig(env: Env, bookings: DatabaseConfig, problems: string[]): ShardConfig {
  const raw = env.BOOKING_DATABASE_URLS;
  if (raw === undefined || raw.trim() === '') return { bookings: [bookings] };
  const urls = raw
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const bad = urls.find((u) => !u.startsWith('mysql://') && !u.startsWith('sqlite:'));
  if (bad)
    problems.push(
      `BOOKING_DATABASE_URLS: each entry must start with sqlite: or mysql:// (got "${redactUrl(bad)}")`,
    );
  else if (new Set(urls).size !== urls.length)
    problems.push('BOOKING_DATABASE_URLS: a database is listed twice');
  else if (urls[0] !== bookings.url)
    problems.push(
      `BOOKING_DATABASE_URLS: its first entry must be the booking database (BOOKING_DATABASE_URL or DATABASE_URL, "${redactUrl(bookings.url)}")`,
    );
  return { bookings: urls.length > 0 && !bad ? urls.map((url) => ({ ...bookings, url })) : [bookings] };
}
