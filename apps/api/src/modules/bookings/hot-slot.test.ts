import type { Booking } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, register } from '../../../test/support/http';

describeAppEachDialect('a hot slot', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  const storedAt = async (start: string) =>
    Number(
      (
        await t()
          .db.dbs.bookings.db.selectFrom('bookings')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('start_at', '=', start)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('200 requests at once: one 201, 199 SLOT_TAKEN, one booking; then the winner’s replay gets its booking and newcomers SLOT_TAKEN', async () => {
    const app = t().app;
    const patients = await Promise.all(Array.from({ length: 20 }, () => register(app)));
    const body = { providerId: p.listing.id, serviceId: p.free, start: at(WED_0900_NY, 60) };
    const sent = Array.from({ length: 200 }, (_, i) => ({
      token: (patients[i % 20] as (typeof patients)[number]).tokens.accessToken,
      key: newKey(),
    }));
    const results = await Promise.all(sent.map((s) => book(app, s.token, body, s.key)));
    const codes = results.map((r) => (r.statusCode === 201 ? 201 : `${r.statusCode} ${r.json().code}`));
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === '409 SLOT_TAKEN')).toHaveLength(199);
    expect(await storedAt(body.start)).toBe(1);

    // Later, with the slot known as taken: a replay of the winning request answers its booking,
    // a replay of a losing one and new requests learn SLOT_TAKEN, and nothing more is stored.
    const winner = results.findIndex((r) => r.statusCode === 201);
    const loser = winner === 0 ? 1 : 0;
    const won = results[winner]?.json() as Booking;
    const replays = await Promise.all([
      book(app, sent[winner]?.token as string, body, sent[winner]?.key),
      book(app, sent[loser]?.token as string, body, sent[loser]?.key),
      ...patients.slice(0, 10).map((who) => book(app, who.tokens.accessToken, body)),
    ]);
    expect(replays[0]?.statusCode, replays[0]?.body).toBe(201);
    expect(replays[0]?.json()).toEqual(won);
    for (const r of replays.slice(1)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('SLOT_TAKEN');
    }
    expect(await storedAt(body.start)).toBe(1);
  });

  it('a revoked session among the crowd gets 401 and books nothing', async () => {
    const app = t().app;
    const [gone, ...others] = await Promise.all(Array.from({ length: 6 }, () => register(app)));
    if (!gone) throw new Error('no patient');
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(gone.tokens.accessToken),
    });
    const body = { providerId: p.listing.id, serviceId: p.free, start: at(WED_0900_NY, 90) };
    const [refused, ...rest] = await Promise.all([
      book(app, gone.tokens.accessToken, body),
      ...others.map((who) => book(app, who.tokens.accessToken, body)),
    ]);
    expect(refused?.statusCode).toBe(401);
    expect(refused?.json().code).toBe('INVALID_TOKEN');
    expect(rest.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const stored = await t()
      .db.dbs.bookings.db.selectFrom('bookings')
      .select('patient_id')
      .where('start_at', '=', body.start)
      .execute();
    expect(stored.map((s) => s.patient_id)).not.toContain(gone.user.id);
    expect(stored).toHaveLength(1);
  });
});
