import type { Booking } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';

describeAppEachDialect('booking events', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  const outbox = (bookingId: string) =>
    t()
      .db.dbs.bookings.db.selectFrom('bookings_outbox')
      .select(['event_type', 'payload'])
      .where('aggregate_id', '=', bookingId)
      .orderBy('id')
      .execute();

  describe('what a new booking writes to the outbox', () => {
    it('a free booking, confirmed in its transaction, is announced once: booking.created, from nothing to confirmed', async () => {
      const res = await book(t().app, p.cast.patient.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      const booking = res.json() as Booking;
      expect(booking.status).toBe('confirmed');
      // The history still shows both steps.
      expect(booking.history.map((h) => [h.from, h.to])).toEqual([
        [null, 'pending'],
        ['pending', 'confirmed'],
      ]);
      const events = await outbox(booking.id);
      expect(events.map((e) => e.event_type)).toEqual(['booking.created']);
      expect(JSON.parse(events[0]?.payload ?? '{}')).toMatchObject({
        bookingId: booking.id,
        from: null,
        to: 'confirmed',
        version: booking.version,
      });

      // Every consumer handles it: the patient and the provider are told of the confirmation (in
      // the app and by e-mail), and of nothing else.
      await t().services.bookingsRelay.drain();
      const told = await t()
        .db.dbs.inventory.db.selectFrom('notifications')
        .select(['user_id', 'kind', 'emailed_at'])
        .where('booking_id', '=', booking.id)
        .execute();
      expect(told.map((n) => [n.user_id, n.kind]).sort()).toEqual(
        [
          [p.cast.patient.user.id, 'confirmed'],
          [p.cast.owner.user.id, 'confirmed'],
        ].sort(),
      );
      expect(told.every((n) => n.emailed_at !== null)).toBe(true);
    });

    it('a paid booking is created pending, then moves on by status changes', async () => {
      const res = await book(t().app, p.cast.patient.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: at(WED_0900_NY, 180),
      });
      expect(res.statusCode, res.body).toBe(201);
      const events = await outbox((res.json() as Booking).id);
      expect(events.map((e) => [e.event_type, JSON.parse(e.payload).to])).toEqual([
        ['booking.created', 'pending'],
        ['booking.status_changed', 'payment_pending'],
      ]);
    });
  });
});
