import type { FastifyBaseLogger } from 'fastify';
import { SqlBookingArchive } from './adapters/archive/sql';
import { SimulatedPayments } from './adapters/payments/simulated';
import { StripePayments } from './adapters/payments/stripe';
import { resolveWebhookSecret } from './adapters/payments/webhook-secret';
import type { BreakerRegistry } from './adapters/resilience/breaker';
import { GuardedPayments } from './adapters/resilience/guarded-payments';
import type { Config } from './config/config';
import type { AppHooks, Databases } from './container';
import type { Db } from './db/database';
import type { BookingDatabase } from './db/schema';
import { BucketMap } from './db/shards/bucket-map';
import { BookingLifecycle } from './jobs/booking-lifecycle';
import { OutboxRelay } from './jobs/outbox-relay';
import type { AuditService } from './modules/audit/audit.service';
import { PaymentEventsHandler } from './modules/bookings/booking-payments';
import { type BookingShard, ShardedBookings } from './modules/bookings/booking-shards';
import { BookingsRepository } from './modules/bookings/bookings.repository';
import { BookingsService, bookingCacheTag } from './modules/bookings/bookings.service';
import { ClaimsBusyTimeReader } from './modules/bookings/claims';
import { SeriesRepository } from './modules/bookings/series.repository';
import { ShardedBusyTime } from './modules/bookings/sharded-busy-time';
import { ShardedPaymentEvents } from './modules/bookings/sharded-payment-events';
import { mergedArchiveList, mergedRatings } from './modules/bookings/sharded-reads';
import type { PrivacyService } from './modules/privacy/privacy.service';
import type { ProvidersService } from './modules/providers/providers.service';
import { ReviewRatingReader } from './modules/reviews/review-ratings';
import type { BookingArchive } from './ports/archive';
import type { Cache } from './ports/cache';
import type { Clock } from './ports/clock';
import type { EventBus } from './ports/event-bus';
import type { PaymentsPort } from './ports/payments';

/** The booking databases in shard order: the booking database first, then `bookingShards`. */
export const bookingDatabases = (dbs: Databases): Db<BookingDatabase>[] => [
  dbs.bookings,
  ...(dbs.bookingShards ?? []),
];

/**
 * The booking module over every booking database (docs/scaling.md, "Booking shards"): per shard
 * its repository, service, outbox relay, lifecycle job and SQL archive; one front
 * (`ShardedBookings`) routing by provider and booking id. With one database this is the wiring
 * there always was.
 */
export function createBookings(
  config: Config,
  adapters: { dbs: Databases; clock: Clock; payments?: PaymentsPort; archive?: BookingArchive },
  shared: {
    providers: ProvidersService;
    cache: Cache;
    privacy: PrivacyService;
    audit: AuditService;
    eventBus: EventBus;
    breakers: BreakerRegistry;
    log: FastifyBaseLogger;
    hooks: AppHooks;
  },
) {
  const { dbs, clock } = adapters;
  const { cache, log } = shared;
  // Deliveries go through this object, so a test can observe them.
  const webhook = { deliver: shared.hooks.deliverWebhook };
  const simulated =
    config.payments.kind === 'simulated'
      ? new SimulatedPayments({
          db: dbs.bookings.db,
          webhookSecret: resolveWebhookSecret(config),
          publicUrl: config.publicUrl,
          deliver: (raw, sig) => webhook.deliver(raw, sig),
          clock,
        })
      : null;
  const payments: PaymentsPort =
    adapters.payments ??
    simulated ??
    new GuardedPayments(
      new StripePayments({
        secretKey: config.payments.kind === 'stripe' ? config.payments.secretKey : '',
        webhookSecret: config.payments.kind === 'stripe' ? config.payments.webhookSecret : '',
        ...(config.payments.kind === 'stripe' ? config.payments.api : undefined),
        clock,
      }),
      shared.breakers.get('payments'),
    );
  // An archive given by the deployment (S3, DynamoDB) is shared by every shard and read back
  // through the first one only, so lists do not see its bookings once per shard.
  const sharedArchive = adapters.archive && !(adapters.archive instanceof SqlBookingArchive);
  const databases = bookingDatabases(dbs);
  // Each shard's outbox relayed by every instance, as the single database's always was.
  // The first database's relay reads on its own pool (MySQL, DB_RELAY_POOL_SIZE).
  const relays = databases.map(
    (d, index) =>
      new OutboxRelay(
        (index === 0 ? dbs.bookingsRelay?.db : undefined) ?? d.db,
        'bookings_outbox',
        shared.eventBus,
        clock,
        log,
      ),
  );
  const parts = databases.map((d, index) => {
    const relay = relays[index] as OutboxRelay;
    const repo = new BookingsRepository(d.db);
    const changed = async (ids: string[]) => {
      await Promise.all(ids.map((id) => cache.invalidateTag(bookingCacheTag(id))));
      relay.nudge();
    };
    const archive: BookingArchive =
      (index === 0 || sharedArchive ? adapters.archive : undefined) ?? new SqlBookingArchive(d.db);
    const readsArchive = index === 0 || !sharedArchive;
    // Booking history lists on a replica of the first database (BOOKING_REPLICA_URLS).
    const replica = index === 0 ? dbs.bookingsRead : undefined;
    const history = replica && {
      repo: new BookingsRepository(replica.db),
      archive: archive instanceof SqlBookingArchive ? new SqlBookingArchive(replica.db) : archive,
    };
    const service = new BookingsService({
      ...(readsArchive ? { archive } : {}),
      ...(history ? { history } : {}),
      db: d.db,
      repo,
      providers: shared.providers,
      payments,
      clock,
      cache,
      holdMinutes: config.bookings.holdMinutes,
      privacy: shared.privacy,
      paymentLeaseMs: config.bookings.paymentLeaseSeconds * 1000,
      changed,
      log,
    });
    const shard: BookingShard = {
      index,
      service,
      repo,
      series: new SeriesRepository(d.db),
      ...(readsArchive ? { archive } : {}),
    };
    const payment = new PaymentEventsHandler({
      db: d.db,
      repo,
      clock,
      bookings: service,
      changed,
      payments,
      audit: shared.audit,
      log,
    });
    const lifecycle = new BookingLifecycle({ db: d.db, repo, bookings: service, clock, log, changed });
    return { shard, db: d, archive, history, changed, payment, lifecycle, relay };
  });
  const first = parts[0] as (typeof parts)[number];
  const map = new BucketMap(dbs.inventory.db, clock, databases.length);
  const bookings = new ShardedBookings(
    parts.map((p) => p.shard),
    map,
  );
  return {
    bookings,
    /** Claims of the provider's shard (availability, search's next free slot). */
    busyTime: new ShardedBusyTime(
      bookings,
      databases.map((d) => new ClaimsBusyTimeReader(d.db)),
    ),
    bucketMap: map,
    /** Per shard, for the jobs that run once per shard under their own lease (jobs.plugin.ts). */
    bookingShards: parts,
    /** The first database's parts, by their names from before shards (tests drive them). */
    bookingsRelay: first.relay,
    lifecycle: first.lifecycle,
    bookingsRepo: first.shard.repo,
    archive: first.archive,
    bookingsChanged: first.changed,
    /**
     * Archived bookings of every database, merged (the practice schedule's past); the first
     * database's on its replica when there is one, like its history lists.
     */
    archiveReads: mergedArchiveList(
      parts.flatMap((p) => (p.shard.archive ? [p.history?.archive ?? p.shard.archive] : [])),
    ),
    /** Listings' ratings from every database's reviews. */
    ratings: mergedRatings(databases.map((d) => new ReviewRatingReader(d.db))),
    /** Nudges every shard's outbox relay (after a write outside the booking service). */
    nudgeBookingRelays: () => {
      for (const r of relays) r.nudge();
    },
    paymentEvents: new ShardedPaymentEvents(
      bookings,
      parts.map((p) => p.payment),
    ),
    payments,
    simulated,
    webhook,
  };
}
