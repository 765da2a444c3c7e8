import type { AuthResult, Booking, ModerationPage, Review, ReviewPage } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
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
import { demoAccounts } from '../accounts/demo-accounts';

const DAY = 86_400_000;

describeAppEachDialect('verified reviews', (ctx) => {
  let t: Ctx;
  let p: Practice;
  let ada: AuthResult;
  let bob: AuthResult;
  const visits: Record<string, Booking> = {};
  const tokens: Record<string, string> = {};

  const bookFree = async (who: AuthResult, start: string) => {
    const res = await book(t.app, who.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Booking;
  };
  const review = (token: string, bookingId: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${bookingId}/review`,
      headers: bearer(token),
      payload,
    });
  const publicPage = async () =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/providers/${p.listing.id}/reviews` })
    ).json() as ReviewPage;
  beforeAll(async () => {
    t = ctx();
    p = await practice(t);
    ada = await register(t.app, { displayName: 'Ada Augusta Lovelace' });
    bob = await register(t.app, { displayName: 'Bob Marley' });
    visits.ada = await bookFree(ada, WED_0900_NY);
    visits.bob = await bookFree(bob, at(WED_0900_NY, 15));
    visits.late = await bookFree(ada, at(WED_0900_NY, 30));
    tokens.ada = ada.tokens.accessToken;
  });

  it('refuses a review before the visit is completed, and of someone else’s visit', async () => {
    expectProblem(
      await review(tokens.ada ?? '', visits.ada?.id ?? '', { rating: 5, text: 'Great' }),
      409,
      'REVIEW_NOT_ALLOWED',
    );
    expectProblem(
      await review(bob.tokens.accessToken, visits.ada?.id ?? '', { rating: 1, text: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await review(tokens.ada ?? '', visits.ada?.id ?? '', { rating: 6, text: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  describe('after the visits are completed', () => {
    let adaReview: Review;
    beforeAll(async () => {
      t.clock.set(new Date(Date.parse(WED_0900_NY) + 60 * 60_000));
      const report = await t.services.lifecycle.tick();
      expect(report.completed).toBe(3);
      tokens.ada = await signIn(t.app, ada);
      tokens.bob = await signIn(t.app, bob);
      tokens.owner = await signIn(t.app, p.cast.owner);
      tokens.staff = await signIn(t.app, p.cast.staff);
      tokens.other = await signIn(t.app, p.cast.other);
      const admin = demoAccounts.find((a) => a.role === 'admin');
      tokens.admin = await signIn(t.app, p.cast.admin, admin?.password);
    });

    it('takes one review per visit, showing first name and initial only', async () => {
      const res = await review(tokens.ada ?? '', visits.ada?.id ?? '', {
        rating: 5,
        text: '  Kind and thorough. ',
      });
      expect(res.statusCode, res.body).toBe(201);
      adaReview = res.json() as Review;
      expect(adaReview).toMatchObject({
        rating: 5,
        text: 'Kind and thorough.',
        author: 'Ada L.',
        reply: null,
      });
      expect(res.body).not.toContain(ada.user.id);
      expect(res.body).not.toContain(ada.user.email);
      expect(res.body).not.toContain('Lovelace');
      expectProblem(
        await review(tokens.ada ?? '', visits.ada?.id ?? '', { rating: 1, text: 'Again' }),
        409,
        'REVIEW_EXISTS',
      );
    });

    it('shows the full name only when the patient chooses it; the profile has the average and count', async () => {
      const res = await review(tokens.bob ?? '', visits.bob?.id ?? '', {
        rating: 2,
        text: 'Long wait',
        showFullName: true,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as Review).author).toBe('Bob Marley');
      const page = await publicPage();
      expect(page.summary).toEqual({ average: 3.5, count: 2 });
      expect(page.items.map((r) => r.author)).toEqual(['Bob Marley', 'Ada L.']);
      expect(JSON.stringify(page)).not.toContain(ada.user.id);
      expect(JSON.stringify(page)).not.toContain(bob.user.email);
    });

    it('lets the practice (owner or staff) reply once, and nobody else', async () => {
      const reply = (token: string, text: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/reviews/${adaReview.id}/reply`,
          headers: bearer(token),
          payload: { text },
        });
      expectProblem(await reply(tokens.other ?? '', 'Not mine'), 403, 'FORBIDDEN');
      expectProblem(await reply(tokens.ada ?? '', 'Me'), 403, 'FORBIDDEN');
      const ok = await reply(tokens.staff ?? '', 'Thank you, Ada!');
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as Review).reply?.text).toBe('Thank you, Ada!');
      expectProblem(await reply(tokens.owner ?? '', 'Second reply'), 409, 'CONFLICT');
      expect((await publicPage()).items.find((r) => r.id === adaReview.id)?.reply?.text).toBe(
        'Thank you, Ada!',
      );
    });

    it('lets admins hide a review with a reason: audited, gone from the profile and its average', async () => {
      const bobReview = (await publicPage()).items.find((r) => r.author === 'Bob Marley');
      const hide = (token: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/reviews/${bobReview?.id}/hide`,
          headers: bearer(token),
          payload: { reason: 'Names another patient' },
        });
      expectProblem(await hide(tokens.owner ?? ''), 403, 'FORBIDDEN');
      const listAsOwner = await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/reviews',
        headers: bearer(tokens.owner ?? ''),
      });
      expectProblem(listAsOwner, 403, 'FORBIDDEN');
      const hidden = await hide(tokens.admin ?? '');
      expect(hidden.statusCode, hidden.body).toBe(200);
      expect(hidden.json().hidden).toEqual({
        at: t.clock.now().toISOString(),
        reason: 'Names another patient',
      });
      expectProblem(await hide(tokens.admin ?? ''), 409, 'CONFLICT');

      const page = await publicPage();
      expect(page.summary).toEqual({ average: 5, count: 1 });
      expect(page.items.map((r) => r.author)).toEqual(['Ada L.']);
      const moderation = (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/admin/reviews',
          headers: bearer(tokens.admin ?? ''),
        })
      ).json() as ModerationPage;
      expect(moderation.items.map((r) => [r.author, r.hidden?.reason ?? null])).toEqual([
        ['Bob Marley', 'Names another patient'],
        ['Ada L.', null],
      ]);
      const audit = await t.db.dbs.inventory.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'admin.review_hidden')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ target_id: bobReview?.id });
    });

    it('closes the review window after the configured days', async () => {
      // Completed by the lifecycle pass at 10:00; the window (90 days by default) ends 90 days later.
      t.clock.set(new Date(Date.parse(WED_0900_NY) + 60 * 60_000 + 90 * DAY + 1000));
      const token = await signIn(t.app, ada);
      expectProblem(
        await review(token, visits.late?.id ?? '', { rating: 4, text: 'Late' }),
        409,
        'REVIEW_WINDOW_CLOSED',
      );
    });
  });
});
