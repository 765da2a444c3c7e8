import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock, testConfig } from '../../../test/support/app';
import { at, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect } from '../../../test/support/databases';
import { register } from '../../../test/support/http';
import { redisTestUrl } from '../../../test/support/redis';
import { type RedisBusHarness, redisBusHarness } from '../../../test/support/redis-streams';
import { MemoryCache } from '../../adapters/cache/memory';
import type { RedisStreamsEventBus } from '../../adapters/event-bus/redis-streams';
import { buildApp } from '../../app';
import type { Services } from '../../container';
import { DomainError } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { computeSlots } from '../availability/domain';
import { slotMatches } from './domain/window';

type App = Awaited<ReturnType<typeof buildApp>>;

/** Empty when the test Redis is unreachable (a loud banner; fatal with CI set). */
const redisUrl = await redisTestUrl();
const BUSES = redisUrl ? (['in-process', 'redis-streams'] as const) : (['in-process'] as const);

/** Refusals a random command may meet; anything else fails the property. */
const EXPECTED = new Set([
  'SLOT_TAKEN',
  'NOT_BOOKABLE',
  'INVALID_TRANSITION',
  'WAITLIST_OFFER_CLOSED',
  'CANCELLATION_WINDOW_PASSED',
  'NOT_FOUND',
]);
const ACTIVE = ['pending', 'payment_pending', 'confirmed', 'in_progress'] as const;

const Command = fc.oneof(
  fc.record({ kind: fc.constant('book' as const), patient: fc.nat(3), slot: fc.nat(11) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(50) }),
  fc.record({
    kind: fc.constant('join' as const),
    patient: fc.nat(3),
    dayPart: fc.constantFrom('morning' as const, 'any' as const),
  }),
  fc.record({ kind: fc.constant('accept' as const), pick: fc.nat(10) }),
  fc.record({ kind: fc.constant('decline' as const), pick: fc.nat(10) }),
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 5, max: 40 }) }),
);
type Command = typeof Command extends fc.Arbitrary<infer C> ? C : never;

for (const busKind of BUSES)
  describeEachDialect(`waitlist with two instances over ${busKind} buses (property)`, (db) => {
    const clock = new TestClock();
    let a: App;
    let b: App;
    let redis: RedisBusHarness | undefined;
    let streamBus: RedisStreamsEventBus | undefined;
    let p: Practice;
    let patients: Principal[];
    beforeAll(async () => {
      // One cache for both, as Redis is in production. In-process: each instance has its own bus
      // and relay. Redis Streams: both relays publish to one stream (under a random key prefix) and
      // each consumer group is shared by the two instances, as in a cluster.
      const cache = new MemoryCache({ clock });
      if (busKind === 'redis-streams') redis = await redisBusHarness(redisUrl);
      // Two instances of one deployment: the same key-encryption key.
      const env = { ENCRYPTION_KEYS: `shared-kek:${Buffer.alloc(32, 6).toString('base64')}` };
      streamBus = redis?.instance();
      a = await buildApp(testConfig(env), {
        dbs: db().dbs,
        clock,
        cache,
        ...(streamBus ? { eventBus: streamBus } : {}),
      });
      b = await buildApp(testConfig(env), {
        dbs: db().dbs,
        clock,
        cache,
        ...(redis ? { eventBus: redis.instance() } : {}),
      });
      await a.app.ready();
      await b.app.ready();
      p = await practice({ ...a, clock, config: testConfig(env), db: db() } as unknown as Ctx);
      patients = (await Promise.all([0, 1, 2, 3].map(() => register(a.app)))).map((r) => ({
        userId: r.user.id,
        role: 'patient',
        sessionId: 'property',
        actsForProviderId: null,
        emailVerified: true,
      }));
    });
    afterAll(async () => {
      await a?.app.close();
      await b?.app.close();
      await redis?.dispose();
    });

    /**
     * Drains both instances' relays until no event is left (consumers write new events). Over Redis
     * Streams the consumers run on their own: it also waits until every group has acknowledged
     * everything (a handler's own events are committed before its acknowledgement), then drains again.
     */
    async function settle(): Promise<void> {
      for (let round = 0; ; round++) {
        const [x, y] = await Promise.all([
          a.services.bookingsRelay.drain(),
          b.services.bookingsRelay.drain(),
        ]);
        if (x + y > 0) continue;
        if (streamBus && !(await streamBus.allAcknowledged())) {
          if (round > 600) throw new Error('the Redis stream consumers did not catch up');
          await new Promise((r) => setTimeout(r, 25));
          continue;
        }
        // A consumer that failed leaves its batch unpublished (the relay retries it later).
        const left = await db()
          .dbs.bookings.db.selectFrom('bookings_outbox')
          .select(['event_type', 'last_error'])
          .where('published_at', 'is', null)
          .execute();
        if (left.length === 0) return;
        if (round > 20) throw new Error(`events not handled: ${JSON.stringify(left.slice(0, 3))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    async function run(s: Services, c: Command, day: string, key: string): Promise<void> {
      const bdb = db().dbs.bookings.db;
      const owner = (patientId: string) => patients.find((x) => x.userId === patientId) as Principal;
      const openOffers = () =>
        bdb
          .selectFrom('waitlist_offers')
          .innerJoin('waitlist_entries', 'waitlist_entries.id', 'waitlist_offers.entry_id')
          .select(['waitlist_offers.id', 'waitlist_entries.patient_id'])
          .where('waitlist_offers.status', '=', 'offered')
          .orderBy('waitlist_offers.id')
          .execute();
      if (c.kind === 'book') {
        await s.bookings.create(
          patients[c.patient] as Principal,
          {
            providerId: p.listing.id,
            serviceId: p.free,
            start: at(day, c.slot * 15),
            reasonForVisit: 'Check-up',
            newPatient: false,
          },
          key,
        );
      } else if (c.kind === 'cancel') {
        const rows = await bdb
          .selectFrom('bookings')
          .select(['id', 'patient_id'])
          .where('status', 'in', ['pending', 'confirmed'])
          .orderBy('id')
          .execute();
        const row = rows[c.pick % Math.max(1, rows.length)];
        if (row)
          await s.bookings.act(owner(row.patient_id), row.id, { type: 'cancel', reason: 'Plans changed' });
      } else if (c.kind === 'join') {
        await s.waitlist.join(patients[c.patient] as Principal, {
          providerId: p.listing.id,
          serviceId: p.free,
          window: { fromDate: day.slice(0, 10), toDate: day.slice(0, 10), dayPart: c.dayPart },
        });
      } else if (c.kind === 'accept' || c.kind === 'decline') {
        const offers = await openOffers();
        const o = offers[c.pick % Math.max(1, offers.length)];
        if (!o) return;
        if (c.kind === 'accept') await s.waitlist.accept(owner(o.patient_id), o.id);
        else await s.waitlist.decline(owner(o.patient_id), o.id);
      } else {
        clock.advance(c.minutes * 60_000);
        await s.lifecycle.tick();
      }
    }

    async function checkInvariants(): Promise<void> {
      const bdb = db().dbs.bookings.db;
      const active = await bdb
        .selectFrom('bookings')
        .select(['id', 'block_start_at', 'block_end_at', 'status'])
        .where('provider_id', '=', p.listing.id)
        .where('status', 'in', [...ACTIVE])
        .orderBy('block_start_at')
        .execute();
      // 1. No two active bookings overlap.
      for (let i = 1; i < active.length; i++)
        expect(
          (active[i - 1] as (typeof active)[0]).block_end_at <=
            (active[i] as (typeof active)[0]).block_start_at,
        ).toBe(true);
      const offers = await bdb.selectFrom('waitlist_offers').selectAll().execute();
      const open = offers.filter((o) => o.status === 'offered');
      // 2. No slot is offered to two patients at once, and each open offer holds its time.
      const statusOf = new Map(
        (await bdb.selectFrom('bookings').select(['id', 'status']).execute()).map((r) => [r.id, r.status]),
      );
      expect(
        new Set(open.map((o) => o.slot_start)).size,
        JSON.stringify(
          open.map((o) => [o.slot_start, o.entry_id, statusOf.get(o.booking_id), o.expires_at, clock.now()]),
        ),
      ).toBe(open.length);
      for (const o of open) expect(statusOf.get(o.booking_id)).toBe('pending');
      // 3. Accepted offers are confirmed bookings (or, later, cancelled by their patient).
      for (const o of offers.filter((x) => x.status === 'accepted'))
        expect(['confirmed', 'cancelled']).toContain(statusOf.get(o.booking_id));
      // 4. Every free matching time is offered: no waiting entry has a free slot in its window it
      //    was never offered (so a freed time went to the first in line who could take it).
      const listing = await a.services.providers.get(null, p.listing.id);
      const service = listing.services.find((s) => s.id === p.free);
      const { cancellationWindowHours: _c, ...schedule } = listing.schedule;
      const now = clock.now().getTime();
      const entries = await bdb
        .selectFrom('waitlist_entries')
        .selectAll()
        .where('provider_id', '=', p.listing.id)
        .where('status', '=', 'waiting')
        .execute();
      for (const e of entries) {
        const from = Date.parse(`${e.from_date}T00:00:00Z`) - 14 * 3_600_000;
        const to = Date.parse(`${e.to_date}T00:00:00Z`) + 38 * 3_600_000;
        const busy = await a.services.busyTime.busyIntervals(
          p.listing.id,
          from - 86_400_000,
          to + 86_400_000,
        );
        const seen = new Set(offers.filter((o) => o.entry_id === e.id).map((o) => o.slot_start));
        const free = computeSlots({
          schedule: { ...schedule, timeZone: listing.timeZone },
          service: service as NonNullable<typeof service>,
          busy,
          now,
          from: Math.max(from, now),
          to,
        }).filter(
          (s) =>
            slotMatches(
              {
                fromDate: e.from_date,
                toDate: e.to_date,
                weekdays: e.weekdays,
                dayPart: e.day_part,
                earlierThan: null,
              },
              s.start,
              listing.timeZone,
            ) && !seen.has(new Date(s.start).toISOString()),
        );
        expect(free.map((s) => new Date(s.start).toISOString())).toEqual([]);
      }
    }

    it('random bookings, cancellations, joins, accepts, declines and time from two instances keep the waitlist rules', async () => {
      let run_ = 0;
      let keys = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(Command, fc.option(Command)), { minLength: 3, maxLength: 10 }),
          async (steps) => {
            run_++;
            // Each run uses its own weekday a week or more ahead (cancellations stay inside the window).
            const day = at(WED_0900_NY, (7 * run_ + (run_ % 3)) * 24 * 60);
            for (const [first, second] of steps) {
              // Two commands at once, one on each instance.
              const results = await Promise.allSettled([
                run(a.services, first, day, `prop-${++keys}`),
                second ? run(b.services, second, day, `prop-${++keys}`) : Promise.resolve(),
              ]);
              for (const r of results)
                if (
                  r.status === 'rejected' &&
                  !(r.reason instanceof DomainError && EXPECTED.has(r.reason.code))
                )
                  throw r.reason;
              await settle();
              await checkInvariants();
            }
          },
        ),
        { numRuns: 8 },
      );
    }, 240_000);
  });
