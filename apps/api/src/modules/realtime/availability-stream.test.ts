import type { AvailabilityChange } from '@carebook/contracts';
import { uuidv7 } from 'uuidv7';
import { beforeAll, expect, it } from 'vitest';
import { describeSearchAppEachDialect } from '../../../test/support/search';

/** Reads Server-Sent Events from a streaming fetch until `count` availability events arrived. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number): Promise<AvailabilityChange[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const out: AvailabilityChange[] = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at = buffer.indexOf('\n\n');
    while (at >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (block.startsWith('event: availability\n'))
        out.push(JSON.parse(block.slice(block.indexOf('data: ') + 6)) as AvailabilityChange);
      at = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return out;
}

describeSearchAppEachDialect('public availability stream', 0, (t) => {
  let base = '';
  beforeAll(async () => {
    await t().app.listen({ port: 0, host: '127.0.0.1' });
    const address = t().app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
  });

  const bookingEvent = (listingId: string, type: string, start: string, end: string) => ({
    id: uuidv7(),
    type,
    aggregateId: uuidv7(),
    occurredAt: new Date().toISOString(),
    payload: {
      bookingId: uuidv7(),
      patientId: uuidv7(),
      providerId: listingId,
      ownerId: uuidv7(),
      from: null,
      to: 'pending',
      start,
      end,
      version: 1,
      reason: 'private reason',
    },
  });

  it('tells an anonymous follower which time of which listing changed, and nothing about who', async () => {
    const followed = uuidv7();
    const other = uuidv7();
    const res = await fetch(`${base}/api/v1/availability/stream?listings=${followed}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = readEvents(res.body as ReadableStream<Uint8Array>, 1);
    // Two changes to the followed listing within the window come as one range; the other is not sent.
    await t().services.eventBus.publish([
      bookingEvent(other, 'booking.created', '2026-12-01T09:00:00.000Z', '2026-12-01T09:30:00.000Z'),
      bookingEvent(followed, 'booking.created', '2026-12-01T10:00:00.000Z', '2026-12-01T10:30:00.000Z'),
      bookingEvent(followed, 'booking.cancelled', '2026-12-02T08:00:00.000Z', '2026-12-02T08:30:00.000Z'),
    ]);
    // The other listing's change was published first: had it leaked, it would be this one.
    const [change] = await events;
    expect(change).toEqual({
      listingId: followed,
      from: '2026-12-01T10:00:00.000Z',
      to: '2026-12-02T08:30:00.000Z',
    });
  });

  it('refuses malformed or too long listing lists, and too many streams from one address', async () => {
    expect((await fetch(`${base}/api/v1/availability/stream?listings=nope`)).status).toBe(400);
    const tooMany = Array.from({ length: 51 }, () => uuidv7()).join(',');
    expect((await fetch(`${base}/api/v1/availability/stream?listings=${tooMany}`)).status).toBe(400);
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    const opened = await Promise.all(
      controllers.map((c) =>
        fetch(`${base}/api/v1/availability/stream?listings=${uuidv7()}`, { signal: c.signal }),
      ),
    );
    expect(opened.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const refused = await fetch(`${base}/api/v1/availability/stream?listings=${uuidv7()}`);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('TOO_MANY_REQUESTS');
    for (const c of controllers) c.abort();
  });
});
