import {
  type Listing,
  PRACTICE_SCHEDULE_MAX_DAYS,
  type PracticeSchedule,
  type PracticeScheduleQuery,
} from '@carebook/contracts';
import { DomainError, forbidden, notFound } from '../../domain/errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import type { BookingArchive } from '../../ports/archive';
import { type Clock, toDbTime } from '../../ports/clock';
import type { AuditService } from '../audit/audit.service';
import { assertCan } from '../auth/permissions';
import { openingHours } from '../availability/domain/opening-hours';
import { ERASED_TEXT, type FieldOpener } from '../bookings/booking-mapper';
import type { BookingRow } from '../bookings/bookings.repository';
import type { ProvidersService } from '../providers/providers.service';
import { isShownOnSchedule, type PracticeRepository } from './practice.repository';
import { toPracticeBooking } from './practice-booking';

const DAY = 86_400_000;
/** Most bookings one answer carries; a busier range says `truncated`. */
export const MAX_SCHEDULE_BOOKINGS = 2000;
/** Listings of one practice shown at once (every listing a provider manages, in practice). */
const MAX_LISTINGS = 100;

export interface PracticeScheduleDeps {
  repo: PracticeRepository;
  providers: ProvidersService;
  archive?: Pick<BookingArchive, 'list'> | undefined;
  audit: AuditService;
  clock: Clock;
  /** Opens the reasons for visit (sealed with each patient's data key). */
  privacy: FieldOpener;
}

/**
 * The front desk's view of a practice: its bookings in a range with who is coming (name,
 * contact, new or returning, reason), and each listing's opening hours in that range. For the
 * provider, the staff acting for them and admins; every patient shown is recorded in the access
 * audit (`access.bookings_listed`, purpose `scheduling`).
 */
export class PracticeScheduleService {
  constructor(private readonly d: PracticeScheduleDeps) {}

  async schedule(
    principal: Principal,
    query: PracticeScheduleQuery,
    meta: RequestMeta,
  ): Promise<PracticeSchedule> {
    assertCan(principal.role, 'practice.schedule.read');
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(to > from) || to - from > PRACTICE_SCHEDULE_MAX_DAYS * DAY) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `"to" must be after "from" and at most ${PRACTICE_SCHEDULE_MAX_DAYS} days later.`,
        {
          errors: [
            {
              path: '/query/to',
              message: `must be after from and within ${PRACTICE_SCHEDULE_MAX_DAYS} days`,
            },
          ],
        },
      );
    }
    const listings = await this.listings(principal, query.providerId);
    const ownerId =
      principal.role === 'admin' ? (listings[0] as Listing).ownerId : (principal.actsForProviderId as string);
    const range = {
      ownerId,
      ...(query.providerId ? { providerId: query.providerId } : {}),
      from: toDbTime(new Date(from)),
      to: toDbTime(new Date(to)),
    };
    const now = this.d.clock.now().getTime();
    const rows = await this.rows(range, toDbTime(new Date(now)));
    const truncated = rows.length > MAX_SCHEDULE_BOOKINGS;
    const shown = rows.slice(0, MAX_SCHEDULE_BOOKINGS);
    const contacts = await this.d.repo.patientContacts(shown.map((r) => r.patient_id));
    const reasons = await this.d.privacy.revealMany(
      shown.map((r) => ({ patientId: r.patient_id, value: r.reason_for_visit })),
    );
    // Profile phones are sealed with each patient's key: open them in one batch too.
    const people = [...contacts.values()];
    const phones = await this.d.privacy.revealMany(people.map((c) => ({ patientId: c.id, value: c.phone })));
    for (const [i, c] of people.entries()) contacts.set(c.id, { ...c, phone: phones[i] ?? null });
    if (shown.length > 0) {
      await this.d.audit.recordAccessMany(
        shown.map((r) => ({
          action: 'access.bookings_listed' as const,
          actor: principal,
          patientId: r.patient_id,
          resource: { type: 'booking', id: r.id },
          purpose: principal.role === 'admin' ? ('administration' as const) : ('scheduling' as const),
          details: { view: 'practice_schedule', from: query.from, to: query.to },
        })),
        meta,
      );
    }
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      listings: listings.map((l) => {
        const { cancellationWindowHours: _policy, ...schedule } = l.schedule;
        return {
          id: l.id,
          name: l.name,
          timeZone: l.timeZone,
          open: openingHours({ ...schedule, timeZone: l.timeZone }, from, to).map((i) => ({
            start: new Date(i.start).toISOString(),
            end: new Date(i.end).toISOString(),
          })),
        };
      }),
      bookings: shown.map((r, i) =>
        toPracticeBooking(
          { ...r, reason_for_visit: reasons[i] ?? ERASED_TEXT },
          contacts.get(r.patient_id),
          principal,
          now,
        ),
      ),
      truncated,
    };
  }

  /** The listings the schedule covers: the one asked for (if the reader manages it), or all of theirs. */
  private async listings(principal: Principal, providerId: string | undefined): Promise<Listing[]> {
    if (providerId) {
      const listing = await this.d.providers.get(principal, providerId);
      const manages = principal.role === 'admin' || listing.ownerId === principal.actsForProviderId;
      if (!manages) throw notFound('The listing');
      return [listing];
    }
    if (principal.role === 'admin') {
      throw new DomainError('VALIDATION_FAILED', 'Admins read one practice at a time: give providerId.', {
        errors: [{ path: '/query/providerId', message: 'is required for admins' }],
      });
    }
    if (!principal.actsForProviderId)
      throw forbidden('Staff must be linked to a provider to see its schedule.');
    const mine = await this.d.providers.list(principal, { scope: 'mine', pageSize: MAX_LISTINGS });
    return Promise.all(mine.items.map((s) => this.d.providers.get(principal, s.id)));
  }

  /**
   * Live bookings in the range, plus archived ones when the range reaches into the past (live
   * wins). `now` splits the range: its past may be read on a replica (practice.repository.ts).
   */
  private async rows(
    range: { ownerId: string; providerId?: string; from: string; to: string },
    now: string,
  ): Promise<BookingRow[]> {
    const live = await this.d.repo.bookingsInRange(range, MAX_SCHEDULE_BOOKINGS + 1, now);
    if (range.from >= now || !this.d.archive) return live;
    const archived = await this.d.archive.list(
      {
        ownerId: range.ownerId,
        ...(range.providerId ? { providerId: range.providerId } : {}),
        startFrom: range.from,
        startBefore: range.to,
      },
      { order: 'asc', limit: MAX_SCHEDULE_BOOKINGS + 1 },
    );
    if (archived.length === 0) return live;
    const ids = new Set(live.map((r) => r.id));
    const merged = [
      ...live,
      ...archived.map((a) => a.booking).filter((b) => !ids.has(b.id) && isShownOnSchedule(b.status)),
    ];
    return merged.sort((a, b) =>
      a.start_at < b.start_at ? -1 : a.start_at > b.start_at ? 1 : a.id < b.id ? -1 : 1,
    );
  }
}
