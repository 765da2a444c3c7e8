import type { AuthResult } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { call, publishedPractice, registerAt, twoInstancesForSuite } from './support/cluster-client';
import { mariadbAvailable } from './support/databases';
import { type ApiProcess, until } from './support/processes';
import { listingInput } from './support/providers';

/**
 * Issue 7's fault test: Redis (cache, invalidations, event stream) dies under two running
 * instances and comes back empty. The API keeps serving and stays correct; nothing is lost.
 */
describe.skipIf(!mariadbAvailable())('Redis outage under two instances', () => {
  const cluster = twoInstancesForSuite();

  const readiness = async (instance: ApiProcess) => (await call(instance.url, 'GET', '/readyz')).body;

  it('keeps serving, stays correct while Redis is down, and catches up when it is back', async () => {
    const c = cluster();
    const { a, b, ownerToken } = c;
    const { listing, short } = await publishedPractice(a.url, ownerToken);
    const patient: AuthResult = await registerAt(a.url, 'patient', 'Outage Patient', c.around.mail);
    const initial = await readiness(a);
    expect(initial.status, JSON.stringify(initial)).toBe('ready');
    // Warm both instances' caches.
    for (const i of [a, b])
      expect((await call(i.url, 'GET', `/api/v1/providers/${listing.id}`)).status).toBe(200);

    await c.redis.halt();

    // Reads keep working, straight from the database, and readiness says degraded (still 200).
    for (const i of [a, b]) {
      expect((await call(i.url, 'GET', `/api/v1/providers/${listing.id}`)).status).toBe(200);
      expect((await call(i.url, 'GET', '/api/v1/search?q=okafor')).status).toBe(200);
      await until(`${i.name} to report degraded`, async () => (await readiness(i)).status === 'degraded');
      const r = await call(i.url, 'GET', '/readyz');
      expect(r.status).toBe(200);
    }

    // Bookings stay correct: one winner per slot, across both instances, with no Redis.
    const start = new Date(Date.parse(listing.createdAt) + 3 * 86_400_000);
    const slot = await firstFreeSlot(a.url, listing.id, short, start);
    const attempt = (i: ApiProcess, key: string) =>
      call(i.url, 'POST', '/api/v1/bookings', {
        token: patient.tokens.accessToken,
        headers: { 'idempotency-key': key },
        body: {
          providerId: listing.id,
          serviceId: short,
          start: slot,
          reasonForVisit: 'Outage',
          newPatient: true,
        },
      });
    const [first, second] = await Promise.all([attempt(a, 'outage-1'), attempt(b, 'outage-2')]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const booking = (first.status === 201 ? first : second).body;

    // A listing edit on A is served new by B at once: with the invalidation channel down, B must
    // not answer from its in-process copy.
    const fresh = await call(a.url, 'GET', `/api/v1/providers/${listing.id}`);
    const edit = await call(a.url, 'PUT', `/api/v1/providers/${listing.id}`, {
      token: ownerToken,
      body: listingInput({ bio: 'Edited while Redis was down.' }),
      headers: { 'if-match': `"${fresh.body.version}"` },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect((await call(b.url, 'GET', `/api/v1/providers/${listing.id}`)).body.bio).toBe(
      'Edited while Redis was down.',
    );

    await c.redis.resume();

    for (const i of [a, b])
      await until(`${i.name} to be ready again`, async () => (await readiness(i)).status === 'ready', 60_000);
    // The events written while the stream was down went out once it was back: the patient's
    // e-mail about this booking arrives (the notifications consumer runs once per cluster).
    await until(
      'the e-mail about the booking made during the outage',
      async () =>
        c.around.mail.some(
          // Quoted-printable may break a long line (the booking link) with soft line breaks.
          (m) => m.to.includes(patient.user.email) && m.raw.replace(/=\r\n/g, '').includes(booking.id),
        ),
      60_000,
    );
    const outbox = await c.db.dbs.bookings.db
      .selectFrom('bookings_outbox')
      .select((e) => e.fn.countAll().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(outbox.n)).toBe(0);
  }, 180_000);
});

/** The first bookable start of `serviceId` on or after `from` (from the public availability API). */
async function firstFreeSlot(
  base: string,
  providerId: string,
  serviceId: string,
  from: Date,
): Promise<string> {
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const res = await call(
    base,
    'GET',
    `/api/v1/providers/${providerId}/availability?serviceId=${serviceId}&from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const slot = res.body.days?.flatMap((d: { slots: { start: string }[] }) => d.slots)[0]?.start;
  if (!slot) throw new Error(`no free slot: ${JSON.stringify(res.body).slice(0, 300)}`);
  return slot;
}
