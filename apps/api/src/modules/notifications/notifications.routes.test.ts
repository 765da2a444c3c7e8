import type { AuthResult } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, register } from '../../../test/support/http';
import {
  bookingEvent,
  ensureNotificationTables,
  RecordingMailer,
  routeTestApp,
  testContext,
  testPayload,
} from '../../../test/support/notifications';
import { notificationsRoutes } from './notifications.routes';
import type { NotificationPage } from './notifications.schemas';
import { NotificationsService } from './notifications.service';

describeAppEachDialect('notification routes', (t) => {
  let app: FastifyInstance;
  let patient: AuthResult;
  let owner: AuthResult;
  beforeAll(async () => {
    const { db, services, clock } = t();
    await ensureNotificationTables(db.dbs.inventory.db);
    patient = await register(t().app, { displayName: 'Pat' });
    owner = await register(t().app, { displayName: 'Olga', role: 'provider' });
    const context = testContext({
      patient: { id: patient.user.id, email: patient.user.email, displayName: 'Pat' },
      providerContact: { id: owner.user.id, email: owner.user.email, displayName: 'Olga' },
    });
    const notifications = new NotificationsService({
      db: db.dbs.inventory.db,
      mailer: new RecordingMailer(),
      loadContext: async () => context,
      clock,
      log: t().app.log,
      privacy: services.privacy,
    });
    for (const [n, to] of (['pending', 'confirmed'] as const).entries()) {
      await notifications.handle(
        bookingEvent(`0193a5b0-0000-7000-8000-00000000f10${n}`, testPayload({ to })),
      );
    }
    // buildTestApp is already ready: the same error handling and auth, around only these routes.
    app = await routeTestApp((a) => notificationsRoutes(a, notifications), services.auth);
  });
  afterAll(() => app?.close());

  const list = async (who: AuthResult, query = '') => {
    const res = await app.inject({
      url: `/api/v1/notifications${query}`,
      headers: bearer(who.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as NotificationPage;
  };

  it('requires sign-in', async () => {
    expectProblem(await app.inject({ url: '/api/v1/notifications' }), 401, 'UNAUTHENTICATED');
    const read = await app.inject({
      method: 'POST',
      url: '/api/v1/notifications/0193a5b0-0000-7000-8000-000000000001/read',
    });
    expectProblem(read, 401, 'UNAUTHENTICATED');
  });

  it('lists only my own notifications, paginated, with total and unread count', async () => {
    const mine = await list(patient, '?pageSize=1');
    expect(mine).toMatchObject({ page: 1, pageSize: 1, total: 2, unread: 2 });
    expect(mine.items.map((n) => n.title)).toEqual(['Booking confirmed']);
    expect((await list(owner)).items.map((n) => n.title)).toEqual([
      'Booking confirmed',
      'New booking request',
    ]);
    expectProblem(
      await app.inject({
        url: '/api/v1/notifications?pageSize=0',
        headers: bearer(patient.tokens.accessToken),
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("marks my notification read; someone else's is a 404", async () => {
    const id = (await list(patient)).items[0]?.id;
    const url = `/api/v1/notifications/${id}/read`;
    expectProblem(
      await app.inject({ method: 'POST', url, headers: bearer(owner.tokens.accessToken) }),
      404,
      'NOT_FOUND',
    );
    const res = await app.inject({ method: 'POST', url, headers: bearer(patient.tokens.accessToken) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, readAt: t().clock.now().toISOString() });
    expect((await list(patient)).unread).toBe(1);
    expect((await list(owner)).unread).toBe(2);
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/notifications/nope/read',
        headers: bearer(patient.tokens.accessToken),
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
