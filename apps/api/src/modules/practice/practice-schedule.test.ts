import type { AuthResult, PracticeSchedule } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { seedBooking } from '../../../test/support/archival';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { bearer, expectProblem, PASSWORD, register } from '../../../test/support/http';
import { BookingArchival } from '../../jobs/archival';

/** Tuesday 24 – Thursday 26 November 2026, UTC: around the test listing's Wednesday in New York. */
const FROM = '2026-11-24T00:00:00.000Z';
const TO = '2026-11-27T00:00:00.000Z';

describeAppEachDialect('practice schedule', (t) => {
  let p: Practice;
  let patient: AuthResult;
  let otherStaff: AuthResult;
  let confirmedId: string;
  let cancelledId: string;

  const schedule = (token: string | null, query: Record<string, string> = {}) =>
    t().app.inject({
      url: '/api/v1/practice/schedule',
      query: { from: FROM, to: TO, ...query },
      headers: token ? bearer(token) : {},
    });
  const accessRows = async (actorId: string) =>
    t()
      .db.dbs.inventory.db.selectFrom('audit_events')
      .select(['patient_id', 'purpose', 'target_type', 'target_id', 'actor_role'])
      .where('action', '=', 'access.bookings_listed')
      .where('actor_id', '=', actorId)
      .execute();

  beforeAll(async () => {
    const ctx: Ctx = t();
    p = await practice(ctx);
    patient = await register(ctx.app, { displayName: 'Jonas Weber' });
    // The number the patient gave in their profile (sealed at rest): the front desk can call it.
    // A different number given only for SMS reminders is not shown to the practice.
    const profile = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me/profile',
      headers: bearer(patient.tokens.accessToken),
      payload: { phone: '+4930901820' },
    });
    expect(profile.statusCode, profile.body).toBe(200);
    await ctx.db.dbs.inventory.db
      .insertInto('messaging_preferences')
      .values({
        user_id: patient.user.id,
        phone: '+4930901999',
        reminder_channels: 'email',
        sms_consent_at: null,
        sms_consent_text: null,
        sms_opted_out_at: null,
        updated_at: '2026-11-24T12:00:00.000Z',
      })
      .execute();
    const confirmed = await book(ctx.app, patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: WED_0900_NY,
      reasonForVisit: 'Persistent cough',
      newPatient: false,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    confirmedId = confirmed.json().id;
    const cancelled = await book(ctx.app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 60),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    cancelledId = cancelled.json().id;
    const cancel = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${cancelledId}/cancel`,
      headers: bearer(p.cast.patient.tokens.accessToken),
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    // Staff of another practice.
    const staff = await register(ctx.app, { displayName: 'Other front desk' });
    const role = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${staff.user.id}/role`,
      headers: bearer(p.cast.admin.tokens.accessToken),
      payload: { role: 'staff', providerId: p.cast.other.user.id },
    });
    expect(role.statusCode, role.body).toBe(200);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: staff.user.email, password: PASSWORD },
    });
    otherStaff = login.json() as AuthResult;
  });

  it('shows the provider who is coming: name, contact, new or returning, reason, and the opening hours', async () => {
    const res = await schedule(p.cast.owner.tokens.accessToken);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PracticeSchedule;
    expect(body.bookings.map((b) => b.id)).toEqual([confirmedId]);
    expect(body.bookings[0]).toMatchObject({
      providerId: p.listing.id,
      serviceName: 'Repeat prescription',
      start: WED_0900_NY,
      timeZone: 'America/New_York',
      status: 'confirmed',
      reasonForVisit: 'Persistent cough',
      newPatient: false,
      patient: { id: patient.user.id, name: 'Jonas Weber', email: patient.user.email, phone: '+4930901820' },
    });
    expect(body.truncated).toBe(false);
    // Weekdays 09–17 in New York (EST, UTC−5): Tuesday and Wednesday fall in the range, and
    // Thursday's 09:00 (14:00Z) is the range's end's day in UTC.
    expect(body.listings).toEqual([
      {
        id: p.listing.id,
        name: p.listing.name,
        timeZone: 'America/New_York',
        open: [
          { start: '2026-11-24T14:00:00.000Z', end: '2026-11-24T22:00:00.000Z' },
          { start: '2026-11-25T14:00:00.000Z', end: '2026-11-25T22:00:00.000Z' },
          { start: '2026-11-26T14:00:00.000Z', end: '2026-11-26T22:00:00.000Z' },
        ],
      },
    ]);
  });

  it('staff of the practice see it too; one listing can be asked for', async () => {
    const res = await schedule(p.cast.staff.tokens.accessToken, { providerId: p.listing.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PracticeSchedule).bookings.map((b) => b.patient.name)).toEqual(['Jonas Weber']);
  });

  it('refuses another provider, their staff, patients and anonymous callers', async () => {
    for (const who of [p.cast.other, otherStaff]) {
      expectProblem(await schedule(who.tokens.accessToken, { providerId: p.listing.id }), 404, 'NOT_FOUND');
      // Their own practice has nobody coming.
      const own = await schedule(who.tokens.accessToken);
      expect(own.statusCode, own.body).toBe(200);
      expect((own.json() as PracticeSchedule).bookings).toEqual([]);
    }
    expectProblem(await schedule(patient.tokens.accessToken), 403, 'FORBIDDEN');
    expectProblem(await schedule(null), 401, 'UNAUTHENTICATED');
  });

  it('admins name the listing; the range must be ordered and bounded', async () => {
    const admin = p.cast.admin.tokens.accessToken;
    expectProblem(await schedule(admin), 400, 'VALIDATION_FAILED');
    const res = await schedule(admin, { providerId: p.listing.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PracticeSchedule).bookings).toHaveLength(1);
    const owner = p.cast.owner.tokens.accessToken;
    expectProblem(await schedule(owner, { to: FROM }), 400, 'VALIDATION_FAILED');
    expectProblem(await schedule(owner, { to: '2027-03-01T00:00:00.000Z' }), 400, 'VALIDATION_FAILED');
    expectProblem(await schedule(owner, { from: 'tomorrow' }), 400, 'VALIDATION_FAILED');
  });

  it('a range in the past reads the archive too; a booking in both stores (being moved) shows once', async () => {
    const ctx = t();
    const db = ctx.db.dbs.bookings.db;
    const now = ctx.clock.now();
    const ours = { ownerId: p.cast.owner.user.id, providerId: p.listing.id, patientId: patient.user.id };
    const archived = await seedBooking(db, now, { ...ours, status: 'completed', endedDaysAgo: 40 });
    const moved = await new BookingArchival(
      { db, archive: ctx.services.archive, clock: ctx.clock, privacy: ctx.services.privacy },
      { olderThanDays: 30 },
    ).runOnce();
    expect(moved.archived).toBe(1);
    expect(
      await db.selectFrom('bookings').select('id').where('id', '=', archived.id).executeTakeFirst(),
    ).toBeUndefined();
    const moving = await seedBooking(db, now, { ...ours, status: 'no_show', endedDaysAgo: 38 });
    await ctx.services.archive.put([{ booking: moving, history: [] }]);
    await seedBooking(db, now, { ...ours, status: 'cancelled', endedDaysAgo: 39 });
    const day = 86_400_000;
    const res = await schedule(p.cast.owner.tokens.accessToken, {
      from: new Date(now.getTime() - 45 * day).toISOString(),
      to: new Date(now.getTime() - 30 * day).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PracticeSchedule).bookings.map((b) => [b.id, b.status, b.patient.name])).toEqual([
      [archived.id, 'completed', 'Jonas Weber'],
      [moving.id, 'no_show', 'Jonas Weber'],
    ]);
  });

  describe('access audit', () => {
    it('records one row per patient shown, for scheduling; the patient sees it in their access log', async () => {
      const before = (await accessRows(p.cast.staff.user.id)).length;
      await schedule(p.cast.staff.tokens.accessToken);
      const rows = await accessRows(p.cast.staff.user.id);
      expect(rows.length - before).toBe(1);
      expect(rows.at(-1)).toEqual({
        patient_id: patient.user.id,
        purpose: 'scheduling',
        target_type: 'booking',
        target_id: confirmedId,
        actor_role: 'staff',
      });
      // A cancelled booking's patient is not shown, so not recorded.
      expect(rows.some((r) => r.patient_id === p.cast.patient.user.id)).toBe(false);
      const adminRows = await accessRows(p.cast.admin.user.id);
      expect(adminRows.every((r) => r.purpose === 'administration')).toBe(true);
      const log = await t().app.inject({
        url: '/api/v1/me/access-log',
        headers: bearer(patient.tokens.accessToken),
      });
      expect(log.statusCode, log.body).toBe(200);
      expect(log.json().items).toContainEqual(
        expect.objectContaining({
          action: 'access.bookings_listed',
          actorName: 'Front desk',
          actorRole: 'staff',
          resourceId: confirmedId,
          purpose: 'scheduling',
        }),
      );
    });

    it('a refused read records nothing', async () => {
      const before = (await accessRows(p.cast.other.user.id)).length;
      await schedule(p.cast.other.tokens.accessToken, { providerId: p.listing.id });
      expect((await accessRows(p.cast.other.user.id)).length).toBe(before);
    });
  });
});
