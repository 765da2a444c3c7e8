import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { bookingDatabases } from '../../apps/api/src/container-bookings';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { BUCKET_MAP_TTL_MS, BucketMap } from '../../apps/api/src/db/shards/bucket-map';
import { moveBucket } from '../../apps/api/src/db/shards/bucket-move';
import { BUCKETS } from '../../apps/api/src/db/shards/buckets';
import { systemClock } from '../../apps/api/src/ports/clock';

/**
 * `npm run shards -- status`: buckets and bookings per booking database (BOOKING_DATABASE_URLS).
 * `npm run shards -- move <bucket>|<first>-<last> <to>`: moves a bucket of providers (or a range,
 * one bucket after the other) to database <to>
 * (docs/scaling.md, "Booking shards"); the API keeps serving, writes of that bucket wait or get
 * a 503 with Retry-After for the moment the fence holds.
 */
const USAGE = 'usage: npm run shards -- status | move <bucket 0..1023 | first-last> <database index>';

class UsageError extends Error {}

loadDotEnv();
const [command, ...args] = process.argv.slice(2);
try {
  const config = loadConfig();
  const dbs = openDatabases(config);
  const databases = bookingDatabases(dbs);
  const map = new BucketMap(dbs.inventory.db, systemClock, databases.length);
  try {
    if (command === 'status') {
      const buckets = await map.counts();
      for (const [i, d] of databases.entries()) {
        const { n } = await d.db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        console.log(`${i}  ${redactUrl(d.url)}  buckets ${buckets[i]}  live bookings ${Number(n)}`);
      }
    } else if (command === 'move' && args.length === 2) {
      const range = /^(\d+)(?:-(\d+))?$/.exec(args[0] ?? '');
      const first = Number(range?.[1]);
      const last = range?.[2] === undefined ? first : Number(range[2]);
      const to = Number(args[1]);
      if (!range || first >= BUCKETS || last >= BUCKETS || last < first)
        throw new UsageError(`bucket must be 0..${BUCKETS - 1}, or a range of them such as 512-1023`);
      if (!Number.isInteger(to) || to < 0 || to >= databases.length)
        throw new UsageError(
          `database must be 0..${databases.length - 1} (BOOKING_DATABASE_URLS lists ${databases.length})`,
        );
      // A range is moved one bucket at a time, each with its own short fence: the rest of the
      // range keeps serving from where it is until its turn.
      for (let bucket = first; bucket <= last; bucket++) {
        const report = await moveBucket(
          {
            inventory: dbs.inventory.db,
            shards: databases.map((d) => d.db),
            map,
            now: () => systemClock.now(),
            mapTtlMs: BUCKET_MAP_TTL_MS,
            log: (line) => console.log(line),
          },
          bucket,
          to,
        );
        console.log(
          report.from === report.to
            ? `bucket ${bucket} is already on database ${to}`
            : `moved bucket ${bucket} (${report.providers} providers) from ${report.from} to ${report.to}; fenced ${report.fencedMs} ms, ${report.caughtUp} rows caught up; rows: ${JSON.stringify(report.rows)}`,
        );
      }
    } else throw new UsageError(USAGE);
  } finally {
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(
    err instanceof ConfigError || err instanceof UsageError || err instanceof RangeError ? err.message : err,
  );
  process.exit(err instanceof UsageError ? 64 : 1);
}
