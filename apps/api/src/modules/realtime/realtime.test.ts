import type { AuthResult } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, register } from '../../../test/support/http';
import { type Cast, castOf } from '../../../test/support/providers';
import { newId } from '../../lib/ids';

type Socket = Awaited<ReturnType<import('fastify').FastifyInstance['injectWS']>>;

interface Live {
  ws: Socket;
  messages: { type: string; code?: string; bookingId?: string }[];
  closed: Promise<number>;
}

describeAppEachDialect('realtime WebSocket hardening', (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });

  const open = async (): Promise<Live> => {
    const ws = await t().app.injectWS('/api/v1/ws');
    const messages: Live['messages'] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString())));
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    return { ws, messages, closed };
  };
  const connect = async (token: string): Promise<Live> => {
    const live = await open();
    live.ws.send(JSON.stringify({ type: 'auth', token }));
    await expect.poll(() => live.messages.map((m) => m.type)).toContain('ready');
    return live;
  };
  const bookingEvent = (patientId: string, ownerId: string) => {
    const bookingId = newId();
    return {
      bookingId,
      event: {
        id: newId(),
        type: 'booking.confirmed',
        aggregateId: bookingId,
        occurredAt: new Date().toISOString(),
        payload: {
          bookingId,
          providerId: newId(),
          patientId,
          ownerId,
          from: 'pending',
          to: 'confirmed',
          start: '2026-12-01T09:00:00.000Z',
          end: '2026-12-01T10:00:00.000Z',
          version: 2,
        },
      },
    };
  };

  it('refuses valid JSON that is not an object, before and after auth, and keeps serving', async () => {
    for (const payload of ['null', '42', '"auth"', '[]', 'true', '[{"type":"auth"}]']) {
      const before = await open();
      before.ws.send(payload);
      expect(await before.closed, payload).toBe(4400);
      expect(before.messages).toEqual([{ type: 'error', code: 'MALFORMED_MESSAGE' }]);
    }
    for (const payload of ['null', '7', '[]', '"ping"']) {
      const after = await connect(cast.patient.tokens.accessToken);
      after.ws.send(payload);
      expect(await after.closed, payload).toBe(4400);
      expect(after.messages.at(-1)).toEqual({ type: 'error', code: 'MALFORMED_MESSAGE' });
    }
    // The process is fine: a new client still authenticates and pings.
    const ok = await connect(cast.patient.tokens.accessToken);
    ok.ws.send(JSON.stringify({ type: 'ping' }));
    await expect.poll(() => ok.messages.map((m) => m.type)).toContain('pong');
    ok.ws.terminate();
  });

  it('stops pushing to a demoted or suspended user at once, using the fresh principal', async () => {
    const adminH = bearer(cast.admin.tokens.accessToken);
    const promote = async (userId: string, role: string) =>
      t().app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${userId}/role`,
        headers: adminH,
        payload: { role },
      });
    const login = async (email: string) =>
      (
        await t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password: 'correct-horse-battery' },
        })
      ).json() as AuthResult;

    const person = await register(t().app, { displayName: 'Soon Admin' });
    expect((await promote(person.user.id, 'admin')).statusCode).toBe(200);
    const asAdmin = await login(person.user.email);
    const watcher = await connect(asAdmin.tokens.accessToken);
    const first = bookingEvent(cast.patient.user.id, cast.owner.user.id);
    await t().services.realtime.handle(first.event);
    await expect.poll(() => watcher.messages.map((m) => m.bookingId)).toContain(first.bookingId);

    // Demoted: the very next event is not delivered, and the socket is closed.
    expect((await promote(person.user.id, 'patient')).statusCode).toBe(200);
    const second = bookingEvent(cast.patient.user.id, cast.owner.user.id);
    await t().services.realtime.handle(second.event);
    expect(await watcher.closed).toBe(4401);
    expect(watcher.messages.map((m) => m.bookingId)).not.toContain(second.bookingId);

    // Suspended staff: same.
    const staffLive = await connect(cast.staff.tokens.accessToken);
    const third = bookingEvent(cast.patient.user.id, cast.owner.user.id);
    await t().services.realtime.handle(third.event);
    await expect.poll(() => staffLive.messages.map((m) => m.bookingId)).toContain(third.bookingId);
    const suspend = await t().app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${cast.staff.user.id}/suspend`,
      headers: adminH,
      payload: { reason: 'left the clinic' },
    });
    expect(suspend.statusCode).toBe(200);
    const fourth = bookingEvent(cast.patient.user.id, cast.owner.user.id);
    await t().services.realtime.handle(fourth.event);
    expect(await staffLive.closed).toBe(4401);
    expect(staffLive.messages.map((m) => m.bookingId)).not.toContain(fourth.bookingId);
  });
});
