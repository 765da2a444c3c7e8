import type { Booking, CreateBookingBody } from '@carebook/contracts';
import type { BucketMap } from '../../db/shards/bucket-map';
import { bucketOf, bucketOfId } from '../../db/shards/buckets';
import { DomainError } from '../../domain/errors';
import { isBucketMoving } from '../../lib/db-errors';
import type { Principal } from '../../lib/request-meta';
import type { BookingArchive } from '../../ports/archive';
import type { Paged } from '../admin/admin.service';
import type { BookingListRequest } from './booking-queries';
import type { BookingSeriesService } from './booking-series';
import type { BookingRow, BookingsRepository } from './bookings.repository';
import type { BookingsService } from './bookings.service';
import type { BookingEvent } from './domain';
import type { MoveOptions } from './reschedule';
import type { SeriesRepository } from './series.repository';
import { mergePages } from './sharded-list';

/** A fenced write is retried this many times, this far apart, before the caller gets a 503. */
const MOVE_RETRIES = 4;
const MOVE_RETRY_MS = 100;

/** The public members of a class (no private fields, so another implementation fits). */
type PublicOf<T> = { [K in keyof T]: T[K] };

/** What the rest of the app uses of the bookings module: the same surface on one shard or many. */
export type Bookings = Omit<PublicOf<BookingsService>, 'series'> & { series: PublicOf<BookingSeriesService> };

/** One booking database with the booking module built over it (container-bookings.ts). */
export interface BookingShard {
  index: number;
  service: BookingsService;
  repo: BookingsRepository;
  series: SeriesRepository;
  /** Archived bookings this shard reads back (its SQL table, or the shared archive on shard 0). */
  archive?: BookingArchive;
}

/**
 * The bookings front over every booking database (docs/scaling.md, "Booking shards"). A booking
 * lives on its provider's shard, so creates and holds go by the provider, every transaction stays
 * on one database and the claim key still refuses double bookings. Commands and reads by id go to
 * the shard of the bucket carried in the id, confirmed by a primary-key lookup, else found by
 * asking every shard (ids minted before sharding). Lists ask every shard and merge. With one
 * database every call goes straight to it: no map, no lookup.
 */
export class ShardedBookings implements Bookings {
  readonly series: PublicOf<BookingSeriesService>;

  constructor(
    readonly shards: BookingShard[],
    private readonly map: BucketMap,
  ) {
    if (shards.length === 0) throw new RangeError('at least one booking database');
    this.series = seriesFront(this);
  }

  get single(): boolean {
    return this.shards.length === 1;
  }

  async forProvider(providerId: string): Promise<BookingShard> {
    if (this.single) return this.first;
    return this.at(await this.map.shardOf(bucketOf(providerId)));
  }

  /** The shard holding this booking (live or archived); the id's own shard when none does. */
  async forBooking(id: string): Promise<BookingShard> {
    return this.locate(id, (s) => s.repo.byId(id), true);
  }

  async forSeries(id: string): Promise<BookingShard> {
    return this.locate(id, (s) => s.series.byId(id), false);
  }

  create(principal: Principal, body: CreateBookingBody, idempotencyKey: string | undefined) {
    return this.routed(
      () => this.forProvider(body.providerId),
      (s) => s.service.create(principal, body, idempotencyKey),
    );
  }

  hold(
    principal: Principal,
    body: CreateBookingBody,
    idempotencyKey: string | undefined,
    holdMinutes?: number,
  ) {
    return this.routed(
      () => this.forProvider(body.providerId),
      (s) => s.service.hold(principal, body, idempotencyKey, holdMinutes),
    );
  }

  confirmHold(principal: Principal, id: string) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.confirmHold(principal, id),
    );
  }

  get(principal: Principal, id: string) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.get(principal, id),
    );
  }

  async list(principal: Principal, query: BookingListRequest): Promise<Paged<Booking>> {
    if (this.single) return this.first.service.list(principal, query);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    // Every shard's first page × pageSize items, merged in the list's order: the same rows an
    // OFFSET query over one database would read, and totals that add up.
    const parts = await Promise.all(
      this.shards.map((s) => s.service.list(principal, { ...query, page: 1, pageSize: page * pageSize })),
    );
    const direction = query.when === 'past' ? 'desc' : 'asc';
    const { items, total } = mergePages(
      parts,
      query.updatedSince
        ? { by: 'updatedAt', direction: 'asc', idDirection: direction }
        : { by: 'start', direction, idDirection: direction },
      page,
      pageSize,
    );
    return { items, total, page, pageSize };
  }

  act(principal: Principal, id: string, event: BookingEvent) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.act(principal, id, event),
    );
  }

  system(id: string, event: BookingEvent, extra: Partial<BookingRow> = {}) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.system(id, event, extra),
    );
  }

  reschedule(principal: Principal, id: string, start: string, reason: string | undefined) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.reschedule(principal, id, start, reason),
    );
  }

  /** The hold is the same patient's at the same practice: the booking's own database. */
  moveIntoHold(
    principal: Principal,
    id: string,
    holdId: string,
    reason: string,
    within: MoveOptions['within'],
  ) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.moveIntoHold(principal, id, holdId, reason, within),
    );
  }

  read(id: string) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.read(id),
    );
  }

  expireStaleHolds(providerId: string, units: number[]) {
    return this.routed(
      () => this.forProvider(providerId),
      (s) => s.service.expireStaleHolds(providerId, units),
    );
  }

  refund(row: BookingRow) {
    return this.routed(
      () => this.forProvider(row.provider_id),
      (s) => s.service.refund(row),
    );
  }

  ensurePayment(id: string) {
    return this.routed(
      () => this.forBooking(id),
      (s) => s.service.ensurePayment(id),
    );
  }

  /** Every shard's unfinished payment steps; returns how many were finished. */
  async resumePaymentStarts(limit = 100): Promise<number> {
    let done = 0;
    for (const s of this.shards) done += await s.service.resumePaymentStarts(limit);
    return done;
  }

  /**
   * Runs a call on the shard `pick` names. A write refused because the provider's bucket is being
   * moved (or just moved: this instance's map was stale) is retried with a fresh map for a few
   * hundred milliseconds, then answered 503 with Retry-After; the refused transaction changed nothing.
   */
  async routed<T>(pick: () => Promise<BookingShard>, run: (s: BookingShard) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const shard = await pick();
      try {
        return await run(shard);
      } catch (err) {
        if (this.single) throw err;
        if (err instanceof DomainError && err.code === 'NOT_FOUND') {
          // Its bucket moved away while the call ran (a read after its own commit found the rows
          // gone): once more on the new database, where a create replays by its idempotency key.
          this.map.forget();
          if ((await pick()).index === shard.index || attempt >= MOVE_RETRIES) throw err;
          continue;
        }
        if (!isBucketMoving(err)) throw err;
        if (attempt >= MOVE_RETRIES)
          throw new DomainError(
            'SERVICE_UNAVAILABLE',
            'This practice’s bookings are being moved to another database; try again in a moment.',
            { retryAfterSeconds: 1 },
          );
        this.map.forget();
        await new Promise((r) => setTimeout(r, MOVE_RETRY_MS));
      }
    }
  }

  private get first(): BookingShard {
    return this.shards[0] as BookingShard;
  }

  private at(index: number): BookingShard {
    const shard = this.shards[index];
    if (!shard)
      throw new Error(
        `booking_buckets names booking database ${index}, but BOOKING_DATABASE_URLS lists ${this.shards.length}`,
      );
    return shard;
  }

  private async locate(
    id: string,
    has: (s: BookingShard) => Promise<unknown>,
    archived: boolean,
  ): Promise<BookingShard> {
    if (this.single) return this.first;
    const guess = this.at(await this.map.shardOf(bucketOfId(id)));
    const order = [guess, ...this.shards.filter((s) => s !== guess)];
    for (const s of order) if (await has(s)) return s;
    if (archived) for (const s of order) if (s.archive && (await s.archive.get(id))) return s;
    return guess;
  }
}

/** Series by provider (create) and by the series' own id (which carries its bucket too). */
function seriesFront(b: ShardedBookings): PublicOf<BookingSeriesService> {
  return {
    create: (principal, body, key) =>
      b.routed(
        () => b.forProvider(body.providerId),
        (s) => s.service.series.create(principal, body, key),
      ),
    get: async (principal, id) => (await b.forSeries(id)).service.series.get(principal, id),
    cancelFrom: (principal, id, from, reason) =>
      b.routed(
        () => b.forSeries(id),
        (s) => s.service.series.cancelFrom(principal, id, from, reason),
      ),
    occurrenceOf: async (bookingId) => (await b.forBooking(bookingId)).service.series.occurrenceOf(bookingId),
  };
}
