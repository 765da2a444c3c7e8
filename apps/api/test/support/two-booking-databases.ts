import type { Databases } from '../../src/container';
import { type FreshDatabases, freshDatabases, type TestDialect } from './databases';

/**
 * Two booking databases of one deployment, as BOOKING_DATABASE_URLS opens them: `first` holds
 * the inventory and booking database 0, `second` booking database 1; `dbs` is what the app gets.
 */
export interface TwoBookingDatabases {
  first: FreshDatabases;
  second: FreshDatabases;
  dbs: Databases;
  /** Drops both (close the apps on them first). */
  drop(): Promise<void>;
}

/** Two fresh migrated databases, made side by side, as booking databases 0 and 1. */
export async function twoBookingDatabases(dialect: TestDialect): Promise<TwoBookingDatabases> {
  const made = await Promise.allSettled([freshDatabases(dialect), freshDatabases(dialect)]);
  const [first, second] = made;
  if (first.status === 'rejected' || second.status === 'rejected') {
    await Promise.all(made.map((m) => (m.status === 'fulfilled' ? m.value.drop() : undefined)));
    throw first.status === 'rejected' ? first.reason : (second as PromiseRejectedResult).reason;
  }
  return {
    first: first.value,
    second: second.value,
    dbs: { ...first.value.dbs, bookingShards: [second.value.dbs.bookings] },
    drop: async () => {
      await Promise.all([second.value.drop(), first.value.drop()]);
    },
  };
}
