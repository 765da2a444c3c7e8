import type { AuthResult, Booking, WaitlistEntry } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, expectProblem, register } from '../../../test/support/http';

const FRI_0900_NY = at(WED_0900_NY, 2 * 24 * 60); // Friday 27 November 2026, 09:00 New York
const MORNING = { fromDate: '2026-11-27', toDate: '2026-11-27', dayPart: 'morning' as const };

async function settle(t: Ctx): Promise<void> {
  while ((await t.services.bookingsRelay.drain()) > 0);
}

const activeOf = async (app: FastifyInstance, token: string) =>
  (
    (
      await app.inject({ method: 'GET', url: '/api/v1/bookings?pageSize=100', headers: bearer(token) })
    ).json() as { items: Booking[] }
  ).items
    .filter((b) => ['pending', 'payment_pending', 'confirmed'].includes(b.status))
    .map((b) => b.id);

const mine = async (app: FastifyInstance, token: string) =>
  (
    (await app.inject({ method: 'GET', url: '/api/v1/waitlist', headers: bearer(token) })).json() as {
      items: WaitlistEntry[];
    }
  ).items;

describeAppEachDialect('waitlist with automatic offers', (t) => {
  let p: Practice;
  let filler: string;
  let fillerUser: AuthResult;
  const fillers: Booking[] = [];
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    fillerUser = await register(t().app);
    filler = fillerUser.tokens.accessToken;
    // Friday morning, 09:00–12:00, fully booked: twelve 15-minute visits.
    for (let i = 0; i < 12; i++) {
      const res = await book(t().app, filler, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(FRI_0900_NY, i * 15),
      });
      expect(res.statusCode, res.body).toBe(201);
      fillers.push(res.json() as Booking);
    }
  });

  const join = (token: string, body: Record<string, unknown>) =>
    t().app.inject({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: bearer(token),
      payload: { providerId: p.listing.id, serviceId: p.free, ...body },
    });
  const cancel = (token: string, id: string) =>
    t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      headers: bearer(token),
      payload: {},
    });

  it('refuses a join without a window or booking, or with a reversed window', async () => {
    const a = (await register(t().app)).tokens.accessToken;
    expectProblem(await join(a, {}), 400, 'VALIDATION_FAILED');
    expectProblem(
      await join(a, { window: { fromDate: '2026-11-28', toDate: '2026-11-27' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('offers a freed time to the first in line; a decline passes it on; an accept books it', async () => {
    const people = await Promise.all([1, 2, 3].map(() => register(t().app)));
    let [a, b, c] = people.map((r) => r.tokens.accessToken);
    for (const who of [a, b, c] as string[]) {
      const res = await join(who, { window: MORNING });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as WaitlistEntry).status).toBe('waiting'); // nothing free yet
    }
    const freed = fillers[3] as Booking;
    expect((await cancel(filler, freed.id)).statusCode).toBe(200);
    await settle(t() as Ctx);

    const [entryA] = await mine(t().app, a as string);
    expect(entryA?.status).toBe('offered');
    expect(entryA?.offer?.start).toBe(freed.start);
    expect(entryA?.offer?.timeZone).toBe('America/New_York');
    expect((await mine(t().app, b as string))[0]?.status).toBe('waiting');
    // A is told in the app and by e-mail: the practice, the time with its zone, until when it is held.
    const inbox = await t().app.inject({
      method: 'GET',
      url: '/api/v1/notifications',
      headers: bearer(a as string),
    });
    const told = (inbox.json().items as { kind: string; body: string }[]).find(
      (n) => n.kind === 'waitlist_offer',
    );
    expect(told?.body).toContain(p.listing.name);
    expect(told?.body).toContain('Friday, 27 November 2026, 09:45–10:00 America/New_York time (GMT-5)');
    expect(told?.body).toMatch(/held for you until \d\d:\d\d America\/New_York time/);
    const mail = await t().services.devMailbox?.list(1, 50);
    expect(mail?.items.some((m) => m.subject.startsWith(`Waitlist: ${p.listing.name}`))).toBe(true);

    // The held time is not bookable by anyone else meanwhile.
    expectProblem(
      await book(t().app, filler, { providerId: p.listing.id, serviceId: p.free, start: freed.start }),
      409,
      'SLOT_TAKEN',
    );

    const declined = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${entryA?.offer?.id}/decline`,
      headers: bearer(a as string),
      payload: {},
    });
    expect(declined.statusCode, declined.body).toBe(204);
    await settle(t() as Ctx);
    expect((await mine(t().app, a as string))[0]).toMatchObject({ status: 'waiting', offer: null });
    const [entryB] = await mine(t().app, b as string);
    expect(entryB?.offer?.start).toBe(freed.start);

    const accepted = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${entryB?.offer?.id}/accept`,
      headers: bearer(b as string),
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().booking).toMatchObject({ status: 'confirmed', start: freed.start });
    expect((await mine(t().app, b as string))[0]?.status).toBe('booked');
    // A second accept of the closed offer is refused.
    expectProblem(
      await t().app.inject({
        method: 'POST',
        url: `/api/v1/waitlist/offers/${entryB?.offer?.id}/accept`,
        headers: bearer(b as string),
        payload: {},
      }),
      409,
      'WAITLIST_OFFER_CLOSED',
    );

    // An offer that times out goes to the next in line; A is never offered the slot it declined.
    const freed2 = fillers[5] as Booking;
    expect((await cancel(filler, freed2.id)).statusCode).toBe(200);
    await settle(t() as Ctx);
    expect((await mine(t().app, a as string))[0]?.offer?.start).toBe(freed2.start);
    t().clock.advance(31 * 60_000);
    await t().services.lifecycle.tick();
    await settle(t() as Ctx);
    // The access tokens ran out with the clock.
    [a, b, c] = await Promise.all(people.map((r) => signIn(t().app, r)));
    filler = await signIn(t().app, fillerUser);
    expect((await mine(t().app, a as string))[0]).toMatchObject({ status: 'waiting', offer: null });
    expect((await mine(t().app, c as string))[0]?.offer?.start).toBe(freed2.start);

    // Leaving with an open offer releases it: nobody is left in line, so the time is free to book.
    const [entryC] = await mine(t().app, c as string);
    const left = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/waitlist/${entryC?.id}`,
      headers: bearer(c as string),
    });
    expect(left.statusCode, left.body).toBe(204);
    await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/waitlist/${entryA?.id}`,
      headers: bearer(a as string),
    });
    await settle(t() as Ctx);
    expect(await mine(t().app, c as string)).toEqual([]);
    const rebook = await book(t().app, filler, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: freed2.start,
    });
    expect(rebook.statusCode, rebook.body).toBe(201);
  });

  it('"earlier than my booking": a free earlier time is offered at once; accepting moves the booking', async () => {
    const d = (await register(t().app)).tokens.accessToken;
    const later = await book(t().app, d, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(FRI_0900_NY, 6 * 60),
    });
    expect(later.statusCode, later.body).toBe(201);
    const laterBooking = later.json() as Booking;
    const joined = await join(d, { earlierThanBookingId: laterBooking.id });
    expect(joined.statusCode, joined.body).toBe(201);
    const entry = joined.json() as WaitlistEntry;
    expect(entry.status).toBe('offered');
    expect(Date.parse(entry.offer?.start ?? '')).toBeLessThan(Date.parse(laterBooking.start));
    const accepted = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${entry.offer?.id}/accept`,
      headers: bearer(d),
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const moved = accepted.json().booking as Booking;
    expect(moved).toMatchObject({ status: 'confirmed', start: entry.offer?.start });
    // An ordinary reschedule: the rows are linked both ways, with the reschedule's history.
    expect(moved.id).not.toBe(entry.offer?.bookingId);
    expect(moved.rescheduledFrom).toBe(laterBooking.id);
    expect(moved.history[0]?.reason).toBe(`Rescheduled from ${laterBooking.id}`);
    const old = await t().app.inject({
      method: 'GET',
      url: `/api/v1/bookings/${laterBooking.id}`,
      headers: bearer(d),
    });
    expect(old.json()).toMatchObject({ status: 'cancelled', rescheduledTo: moved.id });
    expect(old.json().history.at(-1).reason).toBe('moved to an earlier time from the waitlist');
    // The offer's hold made way for the moved booking: one active booking, the moved one.
    const hold = await t().app.inject({
      method: 'GET',
      url: `/api/v1/bookings/${entry.offer?.bookingId}`,
      headers: bearer(d),
    });
    expect(hold.json().status).toBe('cancelled');
    expect(await activeOf(t().app, d)).toEqual([moved.id]);
    expect((await mine(t().app, d))[0]?.status).toBe('booked');
    // Someone else's booking cannot be the one to beat.
    const other = (await register(t().app)).tokens.accessToken;
    expectProblem(await join(other, { earlierThanBookingId: laterBooking.id }), 404, 'NOT_FOUND');
  });

  it('a paid offer accepted but never paid: the patient is back in line, the time goes to the next', async () => {
    const [g, h] = await Promise.all([register(t().app), register(t().app)]);
    const [gt, ht] = [g.tokens.accessToken, h.tokens.accessToken];
    for (const who of [gt, ht]) {
      const res = await join(who, { window: MORNING, serviceId: p.paid } as Record<string, unknown>);
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as WaitlistEntry).status).toBe('waiting');
    }
    const [before] = await mine(t().app, gt);
    // 11:00–11:45 freed: room for one paid visit (30 minutes and a 5-minute buffer) at 11:00.
    for (const i of [8, 9, 10])
      expect((await cancel(filler, (fillers[i] as Booking).id)).statusCode).toBe(200);
    await settle(t() as Ctx);
    const [offered] = await mine(t().app, gt);
    expect(offered?.offer?.start).toBe((fillers[8] as Booking).start);
    const accepted = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${offered?.offer?.id}/accept`,
      headers: bearer(gt),
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().booking.status).toBe('payment_pending');
    expect((await mine(t().app, gt))[0]?.status).toBe('booked');

    t().clock.advance(31 * 60_000);
    await t().services.lifecycle.tick();
    await settle(t() as Ctx);
    const [back] = await mine(t().app, await signIn(t().app, g));
    // Back in line in the same place (the same entry, joined first), not offered that time again.
    expect(back).toMatchObject({
      id: before?.id,
      status: 'waiting',
      offer: null,
      createdAt: before?.createdAt,
    });
    const [next] = await mine(t().app, await signIn(t().app, h));
    expect(next?.offer?.start).toBe((fillers[8] as Booking).start);
    filler = await signIn(t().app, fillerUser);
  });

  it('"earlier than my booking" inside its cancellation window: refused, one active booking, the time goes on', async () => {
    const e = await register(t().app);
    const later = await book(t().app, e.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(FRI_0900_NY, 7 * 60), // Friday 16:00 New York = 21:00Z; patients may cancel until Thursday 21:00Z
    });
    expect(later.statusCode, later.body).toBe(201);
    const laterBooking = later.json() as Booking;
    t().clock.set(new Date('2026-11-26T20:50:00.000Z'));
    let et = await signIn(t().app, e);
    const joined = await join(et, { earlierThanBookingId: laterBooking.id });
    expect(joined.statusCode, joined.body).toBe(201);
    const entry = joined.json() as WaitlistEntry;
    expect(entry.status).toBe('offered');
    t().clock.advance(15 * 60_000); // past the cancellation deadline, the offer still held
    et = await signIn(t().app, e);
    const refused = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${entry.offer?.id}/accept`,
      headers: bearer(et),
      payload: {},
    });
    expectProblem(refused, 409, 'CANCELLATION_WINDOW_PASSED');
    expect(refused.json().detail).toContain('next patient');
    // Exactly one active booking: the one that could not move; the hold is released.
    expect(await activeOf(t().app, et)).toEqual([laterBooking.id]);
    await settle(t() as Ctx);
    expect(await mine(t().app, et)).toEqual([]);
    filler = await signIn(t().app, fillerUser);
    const rebook = await book(t().app, filler, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: entry.offer?.start as string,
    });
    expect(rebook.statusCode, rebook.body).toBe(201);
  });

  it('someone else cannot accept or decline my offer', async () => {
    const other = (await register(t().app)).tokens.accessToken;
    expectProblem(
      await t().app.inject({
        method: 'POST',
        url: '/api/v1/waitlist/offers/0190b7a0-0000-7000-8000-000000000000/accept',
        headers: bearer(other),
        payload: {},
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a time once held for an entry and let go (another matcher offered it first) is still offered to it later', async () => {
    const MON_0900_NY = at(WED_0900_NY, 12 * 24 * 60); // Monday 7 December 2026, nobody else's window
    const x = await register(t().app);
    const joined = await join(x.tokens.accessToken, {
      window: { fromDate: '2026-12-07', toDate: '2026-12-07', dayPart: 'morning' },
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const entry = joined.json() as WaitlistEntry;
    expect(entry.offer?.start).toBe(MON_0900_NY); // free already: offered at once (its first offer)
    // A second matcher, running beside the first, held 09:15 for the same entry under the key of
    // that state and let it go when it found the entry offered already.
    const patient = {
      userId: x.user.id,
      role: 'patient' as const,
      sessionId: 'test',
      actsForProviderId: null,
      emailVerified: true,
    };
    const nine15 = at(MON_0900_NY, 15);
    const lost = await t().services.bookings.hold(
      patient,
      {
        providerId: p.listing.id,
        serviceId: p.free,
        start: nine15,
        reasonForVisit: 'Offered from the waitlist',
        newPatient: false,
      },
      `waitlist:${entry.id}:1:${nine15}`,
      10,
    );
    await t().services.bookings.system(lost.id, { type: 'cancel', reason: 'Waitlist offer not needed' });
    await settle(t() as Ctx);
    // Declined: the entry waits again, one offer so far, and the earliest free time is 09:15.
    const declined = await t().app.inject({
      method: 'POST',
      url: `/api/v1/waitlist/offers/${entry.offer?.id}/decline`,
      headers: bearer(x.tokens.accessToken),
      payload: {},
    });
    expect(declined.statusCode, declined.body).toBe(204);
    await settle(t() as Ctx);
    const [after] = await mine(t().app, x.tokens.accessToken);
    expect(after?.status).toBe('offered');
    expect(after?.offer?.start).toBe(nine15);
  });
});
