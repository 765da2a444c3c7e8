import type { Booking, BookingListQuery } from '@carebook/contracts';
import { notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { toDbTime } from '../../ports/clock';
import type { Paged } from '../admin/admin.service';
import { maySeeBooking } from './booking-access';
import type { BookingsContext } from './booking-context';
import { type StoredBooking, toOneBooking } from './booking-mapper';
import { listLiveAndArchived } from './merged-listing';

export const bookingCacheTag = (id: string) => `booking:${id}`;

/** A bookings list as the app asks for it: the public query plus what only the server sets. */
export type BookingListRequest = BookingListQuery & {
  /** A reconnect catch-up: bookings changed after this instant. */
  updatedSince?: string;
  /**
   * The reader tolerates replication lag for the whole list, upcoming bookings too (exports polled
   * by calendar apps): it is read like history, from the replica when there is one.
   */
  mayLag?: boolean;
};

/** Reading bookings: one (cached, live or archived) and lists scoped to the reader. */
export class BookingQueries {
  constructor(private readonly d: BookingsContext) {}

  /**
   * The cache holds the stored form (sealed fields stay sealed in Redis), opened per read. Its
   * key names the shape (`v2`): entries of the earlier, opened shape are never read back.
   */
  async get(principal: Principal, id: string): Promise<Booking> {
    const cached = await this.d.cache.getOrLoad<StoredBooking | null>(
      `booking:v2:${id}`,
      async () => {
        const row = await this.d.repo.byId(id);
        if (row) return { row, history: await this.d.repo.history(id) };
        const archived = await this.d.archive?.get(id);
        return archived ? { row: archived.booking, history: archived.history } : null;
      },
      { ttlSeconds: 60, tags: [bookingCacheTag(id)] },
    );
    if (
      !cached ||
      !maySeeBooking(principal, { patientId: cached.row.patient_id, ownerId: cached.row.owner_id })
    )
      throw notFound('The booking');
    return toOneBooking(this.d.privacy, cached);
  }

  async list(principal: Principal, query: BookingListRequest): Promise<Paged<Booking>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const now = toDbTime(this.d.clock.now());
    const scope =
      principal.role === 'patient'
        ? { patientId: principal.userId }
        : principal.role === 'admin'
          ? {}
          : { ownerId: principal.actsForProviderId ?? '00000000-0000-0000-0000-000000000000' };
    // History (past bookings) may come from a replica; upcoming ones from the primary, unless the
    // reader said it tolerates lag (an export).
    const source =
      (query.when === 'past' || query.mayLag) && this.d.history
        ? { ...this.d.history, privacy: this.d.privacy }
        : this.d;
    const { items, total } = await listLiveAndArchived(
      source,
      {
        ...scope,
        ...(query.providerId ? { providerId: query.providerId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.when === 'upcoming'
          ? { startFrom: now }
          : query.when === 'past'
            ? { startBefore: now }
            : {}),
        ...(query.updatedSince ? { updatedSince: toDbTime(new Date(query.updatedSince)) } : {}),
      },
      query.when === 'past' ? 'desc' : 'asc',
      page,
      pageSize,
    );
    return { items, page, pageSize, total };
  }
}
