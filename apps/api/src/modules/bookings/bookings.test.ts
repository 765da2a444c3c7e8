import type { Booking } from '@carebook/contracts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  pay,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, expectProblem, register } from '../../../test/support/http';
import { signStripePayload } from '../../adapters/payments/stripe-events';
import { resolveWebhookSecret } from '../../adapters/payments/webhook-secret';

describeAppEachDialect('bookings', (t) => {
  let p: Practice;
  const BASE = new Date('2026-11-24T12:00:00.000Z');
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  // Tests that move the clock get it back, so the cast's access tokens stay valid.
  afterEach(() => t().clock.set(BASE));
  const patient = () => p.cast.patient.tokens.accessToken;
  const get = async (id: string, token = patient()) =>
    (await t().app.inject({ url: `/api/v1/bookings/${id}`, headers: bearer(token) })).json() as Booking;

  describe('full lifecycle, watched live over the WebSocket', () => {
    it('pending → payment_pending → confirmed → in_progress → completed, each pushed to patient and provider', async () => {
      const app = t().app;
      const ws = await app.injectWS('/api/v1/ws');
      const pws = await app.injectWS('/api/v1/ws');
      const seen: { status: string; type: string }[] = [];
      const providerSeen: string[] = [];
      const ready = (
        socket: typeof ws,
        token: string,
        sink: (m: { type: string; status?: string }) => void,
      ) =>
        new Promise<void>((resolve) => {
          socket.on('message', (raw: Buffer) => {
            const msg = JSON.parse(raw.toString());
            if (msg.type === 'ready') resolve();
            else sink(msg);
          });
          socket.send(JSON.stringify({ type: 'auth', token }));
        });
      await ready(ws, patient(), (m) => {
        if (m.status) seen.push({ status: m.status, type: m.type });
      });
      await ready(pws, p.cast.staff.tokens.accessToken, (m) => m.status && providerSeen.push(m.status));

      const created = await book(app, patient(), {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: WED_0900_NY,
      });
      expect(created.statusCode, created.body).toBe(201);
      const booking = created.json() as Booking;
      expect(booking).toMatchObject({ status: 'payment_pending', priceCents: 12000, currency: 'USD' });
      expect(booking.payment?.checkoutUrl).toMatch(/\/checkout\//);
      expect((await pay(app, booking)).statusCode).toBe(200);
      await t().services.bookingsRelay.drain();
      expect((await get(booking.id)).status).toBe('confirmed');

      t().clock.set(new Date(at(WED_0900_NY, -120))); // two hours before: the reminder is due
      expect((await t().services.lifecycle.tick()).reminded).toBe(1);
      t().clock.set(new Date(WED_0900_NY));
      await t().services.lifecycle.tick();
      t().clock.set(new Date(at(WED_0900_NY, 30)));
      await t().services.lifecycle.tick();
      await t().services.bookingsRelay.drain();
      const token = await signIn(app, p.cast.patient);
      const done = await get(booking.id, token);
      expect(done.status).toBe('completed');
      expect(done.history.map((h) => h.to)).toEqual([
        'pending',
        'payment_pending',
        'confirmed',
        'in_progress',
        'completed',
      ]);

      await expect
        .poll(() => seen.map((s) => `${s.type}:${s.status}`))
        .toEqual([
          'booking.created:pending',
          'booking.status_changed:payment_pending',
          'booking.status_changed:confirmed',
          'booking.reminder_due:confirmed',
          'booking.status_changed:in_progress',
          'booking.status_changed:completed',
        ]);
      expect(providerSeen).toEqual([
        'pending',
        'payment_pending',
        'confirmed',
        'confirmed',
        'in_progress',
        'completed',
      ]);
      ws.terminate();
      pws.terminate();
    });

    it('refuses a socket that does not authenticate, and tells nobody else about a booking', async () => {
      const app = t().app;
      const bad = await app.injectWS('/api/v1/ws');
      const closed = new Promise<number>((resolve) => bad.on('close', (code: number) => resolve(code)));
      bad.send(JSON.stringify({ type: 'auth', token: 'not-a-token' }));
      expect(await closed).toBe(4401);

      const stranger = await register(app);
      const sws = await app.injectWS('/api/v1/ws');
      const heard: unknown[] = [];
      await new Promise<void>((resolve) => {
        sws.on('message', (raw: Buffer) => {
          const msg = JSON.parse(raw.toString());
          if (msg.type === 'ready') resolve();
          else heard.push(msg);
        });
        sws.send(JSON.stringify({ type: 'auth', token: stranger.tokens.accessToken }));
      });
      const res = await book(app, patient(), {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      await t().services.bookingsRelay.drain();
      sws.send(JSON.stringify({ type: 'subscribe', bookingId: res.json().id }));
      await expect.poll(() => heard).toEqual([{ type: 'error', code: 'FORBIDDEN' }]);
      sws.terminate();
    });
  });

  describe('no double booking', () => {
    it('50 concurrent attempts at one slot: exactly one 201, 49 SLOT_TAKEN, no 5xx', async () => {
      const patients = await Promise.all(Array.from({ length: 10 }, () => register(t().app)));
      const start = at(WED_0900_NY, 120);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          book(t().app, (patients[i % 10] as (typeof patients)[number]).tokens.accessToken, {
            providerId: p.listing.id,
            serviceId: p.paid,
            start,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(49);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('SLOT_TAKEN');
    });

    it('buffers count: the next slot inside the 5-minute clean-up is taken, the one after is free', async () => {
      const start = at(WED_0900_NY, 240);
      expect(
        (await book(t().app, patient(), { providerId: p.listing.id, serviceId: p.paid, start })).statusCode,
      ).toBe(201);
      const other = await register(t().app);
      const overlapping = await book(t().app, other.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(start, 30),
      });
      expectProblem(overlapping, 409, 'SLOT_TAKEN');
      const after = await book(t().app, other.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(start, 45),
      });
      expect(after.statusCode, after.body).toBe(201);
    });

    it('refuses times that are not slots, unpublished listings and the wrong role', async () => {
      expectProblem(
        await book(t().app, patient(), {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: at(WED_0900_NY, 7),
        }),
        409,
        'NOT_BOOKABLE',
      );
      expectProblem(
        await book(t().app, patient(), {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: '2026-11-28T15:00:00.000Z',
        }),
        409,
        'NOT_BOOKABLE',
      );
      expectProblem(
        await book(t().app, p.cast.owner.tokens.accessToken, {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: at(WED_0900_NY, 300),
        }),
        403,
        'FORBIDDEN',
      );
      const noKey = await t().app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: bearer(patient()),
        payload: {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: at(WED_0900_NY, 300),
          reasonForVisit: '',
          newPatient: false,
        },
      });
      expectProblem(noKey, 400, 'VALIDATION_FAILED');
    });
  });

  describe('idempotency', () => {
    it('replays the same request, refuses another body with the same key, and books once under concurrency', async () => {
      const key = newKey();
      const body = { providerId: p.listing.id, serviceId: p.free, start: at(WED_0900_NY, 330) };
      const [a, b, c] = await Promise.all([
        book(t().app, patient(), body, key),
        book(t().app, patient(), body, key),
        book(t().app, patient(), body, key),
      ]);
      expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201]);
      expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
      const again = await book(t().app, patient(), body, key);
      expect(again.json()).toEqual(a.json());
      expectProblem(
        await book(t().app, patient(), { ...body, start: at(WED_0900_NY, 345) }, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      const count = await t()
        .db.dbs.bookings.db.selectFrom('bookings')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('start_at', '=', body.start)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });
  });

  describe('idempotency, once the request would be refused', () => {
    it('a replay after the slot has begun still gets the first answer; a new key is refused', async () => {
      const key = newKey();
      const body = { providerId: p.listing.id, serviceId: p.free, start: at(WED_0900_NY, 195) };
      const first = await book(t().app, patient(), body, key);
      expect(first.statusCode, first.body).toBe(201);
      t().clock.set(new Date(at(WED_0900_NY, 200)));
      const token = await signIn(t().app, p.cast.patient);
      const replay = await book(t().app, token, body, key);
      expect(replay.statusCode, replay.body).toBe(201);
      // The same booking; what may be done with it is as of now (nothing, once it has begun).
      expect(replay.json()).toEqual({ ...first.json(), allowedActions: [] });
      expectProblem(await book(t().app, token, body, newKey()), 409, 'NOT_BOOKABLE');
    });
  });

  describe('the answer to a new booking', () => {
    it('is stored with its key in the booking transaction and is what a read of the booking gives', async () => {
      const key = newKey();
      const body = { providerId: p.listing.id, serviceId: p.free, start: at(WED_0900_NY, 315) };
      const res = await book(t().app, patient(), body, key);
      expect(res.statusCode, res.body).toBe(201);
      const answer = res.json() as Booking;
      // Built from what was written, not read back: it must match a read field for field.
      expect(answer).toEqual(await get(answer.id, patient()));
      expect(answer.history.map((h) => [h.from, h.to, h.actorRole])).toEqual([
        [null, 'pending', 'patient'],
        ['pending', 'confirmed', 'system'],
      ]);
      const stored = await t()
        .db.dbs.bookings.db.selectFrom('idempotency_keys')
        .select(['booking_id', 'response_status', 'response_body'])
        .where('idem_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ booking_id: answer.id, response_status: 201 });
      // Sealed at rest with the patient's key, never the plain answer.
      expect(stored.response_body).not.toContain(answer.id);
      expect((await book(t().app, patient(), body, key)).json()).toEqual(answer);
    });
  });

  describe('holds and payments', () => {
    it('an expired hold frees the slot (job or not), and a late payment is refunded', async () => {
      const start = at(WED_0900_NY, 360);
      const first = (
        await book(t().app, patient(), { providerId: p.listing.id, serviceId: p.paid, start })
      ).json() as Booking;
      const other = await register(t().app);
      expectProblem(
        await book(t().app, other.tokens.accessToken, { providerId: p.listing.id, serviceId: p.paid, start }),
        409,
        'SLOT_TAKEN',
      );
      t().clock.advance(11 * 60_000); // past the 10-minute hold; no job has run
      const token = await signIn(t().app, other);
      const second = await book(t().app, token, { providerId: p.listing.id, serviceId: p.paid, start });
      expect(second.statusCode, second.body).toBe(201);
      const expired = await get(first.id, await signIn(t().app, p.cast.patient));
      expect(expired.status).toBe('expired');
      // The first patient's payment succeeds at the provider anyway (it raced the expiry):
      // the booking stays expired and the money goes back.
      const payload = JSON.stringify({
        id: `evt_late_${first.id}`,
        object: 'event',
        type: 'payment_intent.succeeded',
        created: Math.floor(t().clock.now().getTime() / 1000),
        data: {
          object: {
            id: first.payment?.intentId,
            object: 'payment_intent',
            amount: first.priceCents,
            currency: 'usd',
            status: 'succeeded',
            metadata: { bookingId: first.id },
          },
        },
      });
      const late = await t().app.inject({
        method: 'POST',
        url: '/api/v1/payments/webhook',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signStripePayload(payload, resolveWebhookSecret(t().config), t().clock),
        },
        payload,
      });
      expect(late.json()).toEqual({ received: true, result: 'applied' });
      const after = await get(first.id, await signIn(t().app, p.cast.patient));
      expect(after.status).toBe('expired');
      expect(after.payment?.status).toMatch(/^refund(ed|_pending)$/);
    });

    it('a declined card leaves the booking waiting for payment', async () => {
      const b = (
        await book(t().app, patient(), {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: at(WED_0900_NY, 24 * 60), // Thursday: clear of Wednesday's bookings
        })
      ).json() as Booking;
      const declined = await pay(t().app, b, '4000000000000002');
      expect(declined.statusCode).toBeGreaterThanOrEqual(400);
      expect(declined.statusCode).toBeLessThan(500);
      expect((await get(b.id)).status).toBe('payment_pending');
    });

    it('a duplicate webhook delivery changes nothing', async () => {
      const b = (
        await book(t().app, patient(), {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: at(WED_0900_NY, 420),
        })
      ).json() as Booking;
      const deliveries: { raw: Buffer; sig: string }[] = [];
      const original = t().services.webhook.deliver;
      t().services.webhook.deliver = async (raw, sig) => {
        deliveries.push({ raw, sig });
        await original(raw, sig);
      };
      await pay(t().app, b);
      t().services.webhook.deliver = original;
      const event = deliveries.find((d) => d.raw.toString().includes('payment_intent.succeeded'));
      expect(event).toBeDefined();
      const replay = await t().app.inject({
        method: 'POST',
        url: '/api/v1/payments/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': event?.sig ?? '' },
        payload: event?.raw,
      });
      expect(replay.json()).toEqual({ received: true, result: 'duplicate' });
      const final = await get(b.id);
      expect(final.status).toBe('confirmed');
      expect(final.history.filter((h) => h.to === 'confirmed')).toHaveLength(1);
      const forged = await t().app.inject({
        method: 'POST',
        url: '/api/v1/payments/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=deadbeef' },
        payload: event?.raw,
      });
      expectProblem(forged, 400, 'VALIDATION_FAILED');
    });
  });

  describe('cancel and reschedule', () => {
    it('a patient cancels within the policy and is refunded; the slot is free again', async () => {
      const start = at(WED_0900_NY, 24 * 60 * 6 + 60); // next Tuesday, far outside the 24 h window
      const b = (
        await book(t().app, patient(), { providerId: p.listing.id, serviceId: p.paid, start })
      ).json() as Booking;
      await pay(t().app, b);
      const res = await t().app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${b.id}/cancel`,
        headers: bearer(patient()),
        payload: {},
      });
      expect(res.json()).toMatchObject({ status: 'cancelled' });
      expect(res.json().payment.status).toMatch(/^refund(ed|_pending)$/);
      expect(
        (await book(t().app, patient(), { providerId: p.listing.id, serviceId: p.paid, start })).statusCode,
      ).toBe(201);
    });

    it('a practice cancel needs a reason; others cannot touch the booking', async () => {
      const b = (
        await book(t().app, patient(), {
          providerId: p.listing.id,
          serviceId: p.free,
          start: at(WED_0900_NY, 2 * 24 * 60), // Friday
        })
      ).json() as Booking;
      const url = `/api/v1/bookings/${b.id}/cancel`;
      expectProblem(
        await t().app.inject({
          method: 'POST',
          url,
          headers: bearer(p.cast.other.tokens.accessToken),
          payload: { reason: 'x' },
        }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await t().app.inject({
          method: 'POST',
          url,
          headers: bearer(p.cast.staff.tokens.accessToken),
          payload: {},
        }),
        400,
        'REASON_REQUIRED',
      );
      const ok = await t().app.inject({
        method: 'POST',
        url,
        headers: bearer(p.cast.staff.tokens.accessToken),
        payload: { reason: 'Doctor ill' },
      });
      expect(ok.json().history.at(-1)).toMatchObject({
        to: 'cancelled',
        actorRole: 'staff',
        reason: 'Doctor ill',
      });
      expectProblem(
        await t().app.inject({ method: 'POST', url, headers: bearer(patient()), payload: {} }),
        409,
        'INVALID_TRANSITION',
      );
    });

    it('reschedule is atomic: onto a taken slot nothing changes; onto a free one old is cancelled and linked', async () => {
      const start = at(WED_0900_NY, 24 * 60 * 7 + 30); // next Wednesday
      const b = (
        await book(t().app, patient(), { providerId: p.listing.id, serviceId: p.paid, start })
      ).json() as Booking;
      await pay(t().app, b);
      const taken = at(start, 120);
      const other = await register(t().app);
      expect(
        (
          await book(t().app, other.tokens.accessToken, {
            providerId: p.listing.id,
            serviceId: p.free,
            start: taken,
          })
        ).statusCode,
      ).toBe(201);
      const url = `/api/v1/bookings/${b.id}/reschedule`;
      expectProblem(
        await t().app.inject({ method: 'POST', url, headers: bearer(patient()), payload: { start: taken } }),
        409,
        'SLOT_TAKEN',
      );
      expect(await get(b.id)).toMatchObject({ status: 'confirmed', version: b.version + 1 }); // + the payment
      const moved = await t().app.inject({
        method: 'POST',
        url,
        headers: bearer(patient()),
        payload: { start: at(start, 60) },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({
        status: 'confirmed',
        rescheduledFrom: b.id,
        start: at(start, 60),
      });
      expect(await get(b.id)).toMatchObject({ status: 'cancelled', rescheduledTo: moved.json().id });
      expect(
        (
          await book(t().app, other.tokens.accessToken, {
            providerId: p.listing.id,
            serviceId: p.paid,
            start,
          })
        ).statusCode,
      ).toBe(201);
    });
  });

  describe('reads', () => {
    it('lists mine with filters and totals; a provider sees the practice’s; strangers see nothing', async () => {
      const mine = await t().app.inject({
        url: '/api/v1/bookings?when=upcoming&pageSize=5',
        headers: bearer(patient()),
      });
      const body = mine.json() as { items: Booking[]; total: number };
      expect(body.total).toBeGreaterThan(0);
      expect(body.items.every((b) => b.patientId === p.cast.patient.user.id)).toBe(true);
      const practiceView = (
        await t().app.inject({
          url: '/api/v1/bookings?pageSize=100',
          headers: bearer(p.cast.owner.tokens.accessToken),
        })
      ).json();
      expect(practiceView.items.every((b: Booking) => b.providerId === p.listing.id)).toBe(true);
      expect(
        (
          await t().app.inject({ url: '/api/v1/bookings', headers: bearer(p.cast.other.tokens.accessToken) })
        ).json().total,
      ).toBe(0);
      const some = body.items[0] as Booking;
      expectProblem(
        await t().app.inject({
          url: `/api/v1/bookings/${some.id}`,
          headers: bearer(p.cast.other.tokens.accessToken),
        }),
        404,
        'NOT_FOUND',
      );
      const since = await t().app.inject({
        url: `/api/v1/bookings?updatedSince=${encodeURIComponent('2000-01-01T00:00:00Z')}`,
        headers: bearer(patient()),
      });
      expect(since.json().total).toBe(body.total + (since.json().total - body.total));
    });

    it('the availability endpoint leaves out booked time', async () => {
      const res = await t().app.inject({
        url: `/api/v1/providers/${p.listing.id}/availability?serviceId=${p.free}&from=${WED_0900_NY}&to=${at(WED_0900_NY, 60)}`,
      });
      const starts = (res.json().days as { slots: { start: string }[] }[]).flatMap((d) =>
        d.slots.map((s) => Date.parse(s.start)),
      );
      // 09:00–09:30 (+5 min buffer) was booked and completed in the lifecycle test; completed bookings free their time.
      expect(starts).toContain(Date.parse(WED_0900_NY));
    });
  });
});
