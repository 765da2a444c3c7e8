/**
 * `npm run bench -- shard-sim [--clinics 10000] [--bookings 1000000] [--hot 0.02] [--capacity 55] [--burst 3]`:
 * replays one day of booking traffic over 1, 2, 4 and 8 booking shards and reports each shard's
 * load and the hot spots (docs/scaling.md, "Capacity"). Clinics get lognormal daily volumes
 * (a few large practices, many small ones) plus one very busy clinic taking `--hot` of all
 * bookings; each booking goes to its clinic's bucket (the app's own `bucketOf`), buckets spread
 * round-robin over the shards as a new deployment would (`npm run shards -- move`). The hour of
 * each booking follows a working-day curve; the peak is the busiest hour's rate × `--burst`. `--capacity`
 * is one shard's booking throughput in bookings/s (default: the MariaDB figure measured by
 * `npm run bench -- booking` on the shared 2-core machine).
 */
import { BUCKETS, bucketOf } from '../../apps/api/src/db/shards/buckets';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLINICS = arg('clinics', 10_000);
const BOOKINGS = arg('bookings', 1_000_000);
const HOT = arg('hot', 0.02);
const CAPACITY = arg('capacity', 55);
// Minutes run hotter than their hour (a clinic opening next month's calendar, a campaign).
const BURST = arg('burst', 3);

// A seeded generator, so every run replays the same day.
let seed = 20261208;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

// Bookings per hour of the day (local working day, clinics in a few zones smear it).
const HOURLY = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 9, 10, 9, 8, 6, 4, 3, 2, 2, 1, 1];
const hourWeight = HOURLY.reduce((a, b) => a + b, 0);

const clinics = Array.from({ length: CLINICS }, () => ({ id: uuid(), weight: Math.exp(1.1 * gaussian()) }));
const total = clinics.reduce((a, c) => a + c.weight, 0);
const perClinic = clinics.map((c) => ({ id: c.id, bookings: (c.weight / total) * BOOKINGS * (1 - HOT) }));
const hot = perClinic[0] as (typeof perClinic)[number];
hot.bookings += BOOKINGS * HOT;

console.log(
  `${CLINICS} clinics, ${BOOKINGS.toLocaleString('en')} bookings/day, hot clinic ${Math.round(hot.bookings).toLocaleString('en')}/day (bucket ${bucketOf(hot.id)}), shard capacity ${CAPACITY}/s, peak = busiest hour × ${BURST}\n`,
);
const peakShare = (Math.max(...HOURLY) / hourWeight / 60) * BURST; // of a day's bookings in the busiest minute
for (const shards of [1, 2, 4, 8]) {
  const load = Array.from({ length: shards }, () => 0);
  const buckets = new Map<number, number>();
  for (const c of perClinic) {
    const b = bucketOf(c.id);
    load[b % shards] = (load[b % shards] ?? 0) + c.bookings;
    buckets.set(b, (buckets.get(b) ?? 0) + c.bookings);
  }
  const mean = BOOKINGS / shards;
  const hotShard = bucketOf(hot.id) % shards;
  const busiestBucket = Math.max(...buckets.values());
  console.log(`${shards} shard(s): buckets per shard ${BUCKETS / shards}`);
  for (const [i, l] of load.entries()) {
    const peak = (l * peakShare) / 60;
    console.log(
      `  shard ${i}: ${Math.round(l).toLocaleString('en')}/day (${((l / mean) * 100).toFixed(0)} % of even), peak ${peak.toFixed(1)}/s, ${((peak / CAPACITY) * 100).toFixed(0)} % of capacity${i === hotShard ? ', holds the hot clinic' : ''}`,
    );
  }
  console.log(
    `  busiest bucket ${Math.round(busiestBucket).toLocaleString('en')}/day = ${((busiestBucket / BOOKINGS) * 100).toFixed(1)} % of all (the floor of any shard holding it)\n`,
  );
}
