import { LRUCache } from 'lru-cache';
import { batchLoader } from '../../lib/batch-load';
import type { UsersRepository } from '../accounts/users.repository';
import type { Bookings } from '../bookings/booking-shards';
import type { BookingRow } from '../bookings/bookings.repository';
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

/** Everything an e-mail about a booking needs: the booking, both people, and where it happens. */
export function notificationContextLoader(d: {
  /** A booking's live row, from its own booking database (booking-shards.ts). */
  bookingRow: (id: string) => Promise<BookingRow | undefined>;
  bookings: Bookings;
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
  return async (bookingId) => {
    // On its own booking database (shards): one statement per event; people and listings batch.
    const row = await d.bookingRow(bookingId);
    if (!row) return null;
    const key = JSON.stringify(row);
    const known = recent.get(key);
    if (known) return known;
    const [booking, patient, owner, listing, series] = await Promise.all([
      d.bookings.read(bookingId),
      user(row.patient_id),
      user(row.owner_id),
      listingRow(row.provider_id),
      d.bookings.series.occurrenceOf(bookingId),
    ]);
    if (!patient || !owner) return null;
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
      booking,
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
