import type { BookingStatus } from '@carebook/contracts';
import { LRUCache } from 'lru-cache';
import { batchLoader } from '../../lib/batch-load';
import type { UsersRepository } from '../accounts/users.repository';
import { toBooking } from '../bookings/booking-mapper';
import type { BookingShard, ShardedBookings } from '../bookings/booking-shards';
import type { BookingRow, HistoryRow } from '../bookings/bookings.repository';
import type { BookingWithSeries } from '../bookings/series.repository';
import type { ProvidersRepository } from '../providers/providers.repository';
import type { NotificationContext } from './compose';
import type { LoadNotificationContext } from './notifications.service';

/**
 * A booking's events often arrive together (a paid booking: created and waiting for payment in one
 * transaction), and each needs the same context. The context is kept for a moment under the
 * booking row exactly as read (any change of the booking misses); the people and the listing it
 * carries may be up to this old.
 */
const RECENT_MS = 2_000;

/** A booking database as the loader reads it: rows with their series, and histories, in batches. */
interface ShardReads {
  row: (id: string) => Promise<BookingWithSeries | undefined>;
  history: (id: string) => Promise<{ id: string; rows: HistoryRow[] } | undefined>;
}

/** A read that may go unused (its booking is gone): a failure then is not an unhandled rejection. */
function settledLater<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

/** Everything an e-mail about a booking needs: the booking, both people, and where it happens. */
export function notificationContextLoader(d: {
  /** A booking's live row, from its own booking database (booking-shards.ts): the reschedule chain. */
  bookingRow: (id: string) => Promise<BookingRow | undefined>;
  /** Finds the booking database a booking lives on (no look-up with one database). */
  bookings: Pick<ShardedBookings, 'forBooking'>;
  users: UsersRepository;
  providersRepo: ProvidersRepository;
  webUrl: string;
}): LoadNotificationContext {
  const recent = new LRUCache<string, NotificationContext>({ max: 500, ttl: RECENT_MS });
  // Events handled side by side ask at once for their people and listings: one statement per table.
  const user = batchLoader(
    (ids) => d.users.byIds(ids),
    (r) => r.id,
  );
  const listingRow = batchLoader(
    (ids) => d.providersRepo.byIds(ids),
    (r) => r.id,
  );
  // …and for their bookings (with their series) and histories: one statement per booking database.
  const reads = new Map<BookingShard, ShardReads>();
  const readsOf = (shard: BookingShard): ShardReads => {
    let r = reads.get(shard);
    if (!r) {
      r = {
        row: batchLoader(
          (ids) => shard.series.bookingsWithSeries(ids),
          (b) => b.id,
        ),
        history: batchLoader(
          async (ids) => [...(await shard.repo.histories(ids))].map(([id, rows]) => ({ id, rows })),
          (h) => h.id,
        ),
      };
      reads.set(shard, r);
    }
    return r;
  };
  return async (bookingId, parties) => {
    // The people and the listing named by the event are read in the same turn as the row (the
    // batches of that turn), not in the turn after it; a row naming others (never, as a booking's
    // parties do not change) has its own read below.
    const early = parties && {
      patient: settledLater(user(parties.patientId)),
      owner: settledLater(user(parties.ownerId)),
      listing: settledLater(listingRow(parties.providerId)),
    };
    const shard = readsOf(await d.bookings.forBooking(bookingId));
    // One statement per event (batched): the row and the series it is part of, if any.
    const row = await shard.row(bookingId);
    if (!row) return null;
    const key = JSON.stringify(row);
    const known = recent.get(key);
    if (known) return known;
    // The history only says who cancelled (`changedBy`, compose.ts); a cancelled booking stays so.
    const [patient, owner, listing, history] = await Promise.all([
      early && parties?.patientId === row.patient_id ? early.patient : user(row.patient_id),
      early && parties?.ownerId === row.owner_id ? early.owner : user(row.owner_id),
      early && parties?.providerId === row.provider_id ? early.listing : listingRow(row.provider_id),
      row.status === 'cancelled' ? shard.history(bookingId) : undefined,
    ]);
    if (!patient || !owner) return null;
    // The booking from the row already read; its sealed fields (reason for visit, payment secret,
    // history reasons) are neither opened nor carried: no message quotes them.
    const { reasonForVisit: _reason, payment: _payment, ...booking } = toBooking(row, []);
    const series =
      row.series_id === null
        ? null
        : {
            id: row.series_id,
            occurrence: Number(row.series_occurrence),
            occurrences: Number(row.series_occurrences),
            intervalWeeks: Number(row.series_interval_weeks),
          };
    // A reschedule continues the first booking's calendar event: its UID, and a SEQUENCE above
    // every version the earlier bookings of the chain went through.
    let uid = `${row.id}@carebook`;
    let sequenceBase = 0;
    let previous = row.rescheduled_from;
    for (let hops = 0; previous && hops < 50; hops++) {
      const earlier = await d.bookingRow(previous);
      if (!earlier) break;
      uid = `${earlier.id}@carebook`;
      sequenceBase += earlier.version;
      previous = earlier.rescheduled_from;
    }
    const address = listing
      ? (JSON.parse(listing.address) as { line1: string; city: string; postcode: string })
      : null;
    const context: NotificationContext = {
      booking: {
        ...booking,
        history: (history?.rows ?? []).map((h) => ({
          from: h.from_status as BookingStatus | null,
          to: h.to_status as BookingStatus,
          actorRole: h.actor_role,
        })),
      },
      patient: { id: patient.id, email: patient.email, displayName: patient.display_name },
      providerContact: { id: owner.id, email: owner.email, displayName: owner.display_name },
      providerName: row.provider_name,
      serviceName: row.service_name,
      location: address ? `${address.line1}, ${address.postcode} ${address.city}` : row.provider_name,
      webUrl: d.webUrl,
      ownerId: row.owner_id,
      calendar: { uid, sequenceBase },
      erased: [patient, owner].filter((u) => u.erased_at !== null).map((u) => u.id),
      series,
    };
    recent.set(key, context);
    return context;
  };
}
