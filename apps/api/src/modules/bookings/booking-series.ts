import { type BookingSeries, type CreateSeriesBody, type Listing, SERIES_LIMITS } from '@carebook/contracts';
import { DateTime } from 'luxon';
import { idInBucketOf } from '../../db/shards/buckets';
import { DomainError, notFound, type ProblemConflict } from '../../domain/errors';
import { isUniqueViolation } from '../../lib/db-errors';
import type { Principal } from '../../lib/request-meta';
import { fromDbTime, toDbTime } from '../../ports/clock';
import { computeSlots } from '../availability/domain';
import { maySeeBooking } from './booking-access';
import { type BookingCommands, SYSTEM } from './booking-commands';
import type { BookingsContext } from './booking-context';
import { ClaimTaken, insertBooking } from './booking-insert';
import { forReader } from './booking-mapper';
import { applyTransition, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import { requestHash } from './canonical-json';
import { UNIT_MS, unitsOf, unitsToIntervals } from './claims';
import { localStartOf, seriesRrule, seriesStarts } from './domain/series';
import { newBookingRow } from './new-booking';
import type { SeriesRepository, SeriesRow } from './series.repository';
import { SeriesPayment } from './series-payment';

class SeriesTaken extends Error {}
class KeyRace extends Error {}

const invalid = (path: string, message: string, detail: string) =>
  new DomainError('VALIDATION_FAILED', detail, { errors: [{ path, message }] });

/**
 * Recurring series: one rule, one ordinary booking per occurrence. Every occurrence is claimed in
 * one transaction (the claims table decides, as for single bookings), so a series is booked whole
 * or not at all; a refusal names each date that cannot be had and offers other times that day.
 * Occurrences are then ordinary bookings: cancelled, rescheduled and reminded one by one, or the
 * rest of the series at once (`cancelFrom`).
 */
export class BookingSeriesService {
  private readonly payment: SeriesPayment;

  constructor(
    private readonly d: BookingsContext,
    private readonly commands: BookingCommands,
    private readonly series: SeriesRepository,
  ) {
    this.payment = new SeriesPayment(d, commands, series);
  }

  async create(
    principal: Principal,
    body: CreateSeriesBody,
    key: string | undefined,
  ): Promise<BookingSeries> {
    if (!key || key.length > 200)
      throw invalid(
        '/header/idempotency-key',
        'is required (1–200 characters)',
        'Send an Idempotency-Key header (1–200 characters) so a retry cannot book the series twice.',
      );
    const listing = await this.d.providers.get(null, body.providerId);
    const patientId = await this.patientFor(principal, listing, body);
    const service = listing.services.find((s) => s.id === body.serviceId && s.active);
    if (!service) throw notFound('The service');
    // Said once for the whole series, not as a refusal of its first date.
    if (body.newPatient && !listing.acceptingNewPatients)
      throw new DomainError('NOT_BOOKABLE', `${listing.name} is not accepting new patients at the moment.`);
    const hash = requestHash({ ...body, patientId });
    const existing = await this.series.byKey(patientId, key);
    if (existing) return this.replay(principal, existing, hash);

    const starts = this.startsOf(body, listing.timeZone);
    const now = this.d.clock.now().getTime();
    const conflicts: ProblemConflict[] = [];
    const rows: BookingRow[] = [];
    for (const [i, start] of starts.entries()) {
      try {
        rows.push(
          newBookingRow(
            patientId,
            listing,
            {
              providerId: listing.id,
              serviceId: service.id,
              start: new Date(start).toISOString(),
              reasonForVisit: body.reasonForVisit,
              newPatient: body.newPatient && i === 0,
            },
            now,
            this.d.holdMinutes,
          ),
        );
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'NOT_BOOKABLE') throw err;
        conflicts.push(await this.conflict(listing, service.id, i + 1, start, 'not_bookable', err.detail));
      }
    }
    if (conflicts.length) throw this.refusal(conflicts, starts.length);

    const row: SeriesRow = {
      id: idInBucketOf(listing.id),
      patient_id: patientId,
      provider_id: listing.id,
      owner_id: listing.ownerId,
      service_id: service.id,
      time_zone: listing.timeZone,
      local_start: localStartOf(starts[0] as number, listing.timeZone),
      interval_weeks: body.intervalWeeks,
      occurrences: starts.length,
      booked_by: principal.userId,
      idem_key: key,
      request_hash: hash,
      created_at: toDbTime(new Date(now)),
    };
    try {
      await this.book(principal, row, rows);
    } catch (err) {
      if (err instanceof KeyRace) {
        const again = await this.series.byKey(patientId, key);
        if (again) return this.replay(principal, again, hash);
      }
      if (err instanceof SeriesTaken) throw await this.takenRefusal(listing, service.id, rows);
      throw err;
    }
    await this.d.changed(rows.map((r) => r.id));
    if (service.priceCents > 0) await this.payment.start(row.id, rows);
    return this.get(principal, row.id);
  }

  async get(principal: Principal, id: string): Promise<BookingSeries> {
    const row = await this.series.byId(id);
    if (!row || !maySeeBooking(principal, { patientId: row.patient_id, ownerId: row.owner_id }))
      throw notFound('The series');
    const items: BookingSeries['items'] = [];
    for (const o of await this.series.occurrences(id)) {
      const booking = await this.commands.read(o.booking_id).catch(() => null);
      if (booking)
        items.push({
          occurrence: o.occurrence,
          booking: forReader(booking, principal, this.d.clock.now().getTime()),
        });
    }
    const first = items[0]?.booking;
    return {
      id: row.id,
      patientId: row.patient_id,
      providerId: row.provider_id,
      serviceId: row.service_id,
      providerName: first?.providerName ?? '',
      serviceName: first?.serviceName ?? '',
      timeZone: row.time_zone,
      localStart: row.local_start,
      intervalWeeks: row.interval_weeks,
      occurrences: row.occurrences,
      rrule: seriesRrule(row.interval_weeks, row.occurrences),
      items,
      totalCents: items.reduce((sum, i) => sum + i.booking.priceCents, 0),
      currency: first?.currency ?? '',
      createdAt: fromDbTime(row.created_at).toISOString(),
    };
  }

  /** Where a booking sits in its series (for notifications), or null for a single booking. */
  async occurrenceOf(
    bookingId: string,
  ): Promise<{ id: string; occurrence: number; occurrences: number; intervalWeeks: number } | null> {
    const o = await this.series.occurrenceOf(bookingId);
    return o
      ? {
          id: o.id,
          occurrence: Number(o.occurrence),
          occurrences: Number(o.occurrences),
          intervalWeeks: Number(o.interval_weeks),
        }
      : null;
  }

  /**
   * Cancels occurrence `from` and every later one that can still be cancelled (each through the
   * booking state machine, with its own policy and refund rules: a paid one refunds its own part
   * of the series' payment); earlier ones stay. An unpaid paid series is released whole.
   */
  async cancelFrom(principal: Principal, id: string, from: number, reason: string | undefined) {
    const series = await this.get(principal, id);
    const targets = series.items.filter(
      (i) => i.occurrence >= from && (i.booking.allowedActions ?? []).includes('cancel'),
    );
    if (targets.length === 0)
      throw new DomainError('INVALID_TRANSITION', `No occurrence from number ${from} on can be cancelled.`);
    for (const t of targets) {
      // An unpaid occurrence's cancellation released its siblings already (one payment for all).
      const now = await this.d.repo.byId(t.booking.id);
      if (now?.status === 'cancelled') continue;
      await this.commands.act(principal, t.booking.id, { type: 'cancel', ...(reason ? { reason } : {}) });
    }
    return this.get(principal, id);
  }

  private async patientFor(principal: Principal, listing: Listing, body: CreateSeriesBody): Promise<string> {
    if (principal.role === 'patient') {
      if (body.patientId && body.patientId !== principal.userId)
        throw invalid(
          '/body/patientId',
          'must be your own id or absent',
          'You can book a series for yourself only.',
        );
      if (!listing.allowsRecurring)
        throw new DomainError(
          'SERIES_NOT_ALLOWED',
          `${listing.name} does not take recurring bookings online; ask the practice to book the series for you.`,
        );
      return principal.userId;
    }
    if (
      (principal.role === 'provider' || principal.role === 'staff') &&
      principal.actsForProviderId === listing.ownerId
    ) {
      if (!body.patientId)
        throw invalid('/body/patientId', 'is required', 'Name the patient the series is for (patientId).');
      if (!(await this.series.isPatientOf(listing.ownerId, body.patientId))) throw notFound('The patient');
      return body.patientId;
    }
    throw new DomainError('FORBIDDEN', 'Only patients, or the practice for its patients, book series.');
  }

  private startsOf(body: CreateSeriesBody, timeZone: string): number[] {
    if ((body.occurrences === undefined) === (body.until === undefined))
      throw invalid(
        '/body',
        'needs occurrences or until',
        'Give either the number of occurrences or an end date.',
      );
    const starts = seriesStarts(
      {
        firstStart: Date.parse(body.start),
        timeZone,
        intervalWeeks: body.intervalWeeks,
        ...(body.occurrences !== undefined ? { occurrences: body.occurrences } : {}),
        ...(body.until !== undefined ? { until: body.until } : {}),
      },
      SERIES_LIMITS.occurrencesMax,
    );
    if (starts.length > SERIES_LIMITS.occurrencesMax)
      throw invalid(
        '/body/until',
        `gives more than ${SERIES_LIMITS.occurrencesMax} dates`,
        `A series has at most ${SERIES_LIMITS.occurrencesMax} dates.`,
      );
    if (starts.length < 2)
      throw invalid(
        '/body/until',
        'gives fewer than 2 dates',
        'A series has at least two dates; book a single visit instead.',
      );
    return starts;
  }

  /** The one transaction: series row, every booking with its claims, each confirmed when free. */
  private async book(principal: Principal, series: SeriesRow, rows: BookingRow[]): Promise<void> {
    const attempt = () =>
      withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          try {
            await this.series.insert(series, trx);
          } catch (err) {
            if (isUniqueViolation(err)) throw new KeyRace();
            throw err;
          }
          for (const row of rows) {
            try {
              await insertBooking(trx, this.d.repo, row, { role: principal.role, id: principal.userId });
            } catch (err) {
              if (err instanceof ClaimTaken) throw new SeriesTaken();
              throw err;
            }
            // A free occurrence is confirmed at once; a paid one waits for the series' payment.
            if (row.price_cents === 0) await applyTransition(trx, this.d, row, { type: 'confirm' }, SYSTEM);
          }
          await this.series.addOccurrences(
            series.id,
            rows.map((r) => r.id),
            trx,
          );
        }),
      );
    try {
      await attempt();
    } catch (err) {
      if (!(err instanceof SeriesTaken)) throw err;
      // Holds that ran out but were not swept yet give their time back; then one more try.
      let expired = 0;
      for (const row of rows)
        expired += await this.commands.expireStaleHolds(
          row.provider_id,
          unitsOf(Date.parse(row.block_start_at), Date.parse(row.block_end_at)),
        );
      if (expired === 0) throw err;
      await attempt();
    }
  }

  private async takenRefusal(listing: Listing, serviceId: string, rows: BookingRow[]): Promise<DomainError> {
    const conflicts: ProblemConflict[] = [];
    for (const [i, row] of rows.entries()) {
      const units = unitsOf(Date.parse(row.block_start_at), Date.parse(row.block_end_at));
      if ((await this.d.repo.claimants(row.provider_id, units)).length === 0) continue;
      conflicts.push(
        await this.conflict(
          listing,
          serviceId,
          i + 1,
          Date.parse(row.start_at),
          'taken',
          'This time is already booked.',
        ),
      );
    }
    // Taken and released again between our attempt and this look: say so rather than nothing.
    if (conflicts.length === 0)
      return new DomainError('SLOT_TAKEN', 'One of the times was booked while we tried; please try again.');
    return this.refusal(conflicts, rows.length);
  }

  private refusal(conflicts: ProblemConflict[], total: number): DomainError {
    const names = conflicts.map((c) => `date ${c.occurrence} of ${total}`).join(', ');
    return new DomainError(
      'SERIES_CONFLICT',
      `Nothing was booked: ${names} cannot be booked. Pick other times for ${conflicts.length === 1 ? 'it' : 'them'} or change the series.`,
      { conflicts },
    );
  }

  /** One refused date, with up to three free times of the same service that local day, nearest first. */
  private async conflict(
    listing: Listing,
    serviceId: string,
    occurrence: number,
    start: number,
    reason: ProblemConflict['reason'],
    why: string,
  ): Promise<ProblemConflict> {
    const local = DateTime.fromMillis(start, { zone: listing.timeZone });
    const label = `${local.toFormat('cccc d LLLL yyyy, HH:mm')} (${listing.timeZone})`;
    const service = listing.services.find((s) => s.id === serviceId);
    let alternatives: string[] = [];
    if (service) {
      const from = local.startOf('day').toMillis();
      const to = local.endOf('day').toMillis() + 1;
      const busyUnits = await this.d.repo.claimedUnits(
        listing.id,
        Math.floor((from - 3 * 3_600_000) / UNIT_MS),
        Math.ceil((to + 3 * 3_600_000) / UNIT_MS),
      );
      const { cancellationWindowHours: _w, ...schedule } = listing.schedule;
      const slots = computeSlots({
        schedule: { ...schedule, timeZone: listing.timeZone },
        service,
        busy: unitsToIntervals(busyUnits),
        now: this.d.clock.now().getTime(),
        from,
        to,
      });
      alternatives = slots
        .map((s) => s.start)
        .filter((s) => s !== start)
        .sort((a, b) => Math.abs(a - start) - Math.abs(b - start))
        .slice(0, 3)
        .sort((a, b) => a - b)
        .map((s) => new Date(s).toISOString());
    }
    return {
      occurrence,
      start: new Date(start).toISOString(),
      reason,
      message: `${label}: ${why}`,
      alternatives,
    };
  }

  private async replay(principal: Principal, existing: SeriesRow, hash: string): Promise<BookingSeries> {
    if (existing.request_hash !== hash)
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for another series.',
      );
    // The first request's payment step did not finish (its instance died): finish it.
    const rows: BookingRow[] = [];
    for (const o of await this.series.occurrences(existing.id)) {
      const r = await this.d.repo.byId(o.booking_id);
      if (r) rows.push(r);
    }
    if (this.payment.due(rows)) await this.payment.start(existing.id, rows);
    return this.get(principal, existing.id);
  }
}
