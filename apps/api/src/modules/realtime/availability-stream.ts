/**
 * The public stream of availability changes: `GET /api/v1/availability/stream?listings=a,b`
 * (Server-Sent Events, no authentication). Open result pages and profile calendars follow it, so
 * a slot that gets booked disappears and one that frees up appears for every visitor, signed in
 * or not. It is fed by the booking events on the event bus (every instance consumes them), and
 * carries only a listing id and the changed time range — never who booked or which booking.
 *
 * Limits: at most 50 listings per stream, 6 open streams and 30 new ones a minute per client
 * address (429 problem beyond), and changes to one listing are coalesced over a short window
 * into one event spanning the union of their ranges.
 */
import {
  AVAILABILITY_STREAM_LIMITS,
  AvailabilityChange,
  AvailabilityStreamRequest,
  type BookingEventPayload,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { DomainEvent, EventBus } from '../../ports/event-bus';

const HEARTBEAT_MS = 25_000;
/** Coalescing window: also lets the search index and slot caches take the same event first. */
export const COALESCE_MS = 300;

type Send = (change: AvailabilityChange) => void;

/** Fan-out of availability changes to the streams following each listing (this instance). */
export class AvailabilityStream {
  private readonly followers = new Map<string, Set<Send>>();
  private readonly pending = new Map<string, { from: number; to: number }>();
  private timer: NodeJS.Timeout | null = null;

  follow(listingIds: readonly string[], send: Send): () => void {
    for (const id of listingIds) {
      const set = this.followers.get(id) ?? new Set();
      set.add(send);
      this.followers.set(id, set);
    }
    return () => {
      for (const id of listingIds) {
        const set = this.followers.get(id);
        set?.delete(send);
        if (set?.size === 0) this.followers.delete(id);
      }
    };
  }

  /** Event-bus consumer: booking events become changes of their listing's time range. */
  async handle(event: DomainEvent): Promise<void> {
    if (!event.type.startsWith('booking.')) return;
    const p = event.payload as unknown as Pick<BookingEventPayload, 'providerId' | 'start' | 'end'>;
    if (!this.followers.has(p.providerId)) return;
    const from = Date.parse(p.start);
    const to = Date.parse(p.end);
    if (!Number.isFinite(from) || !Number.isFinite(to)) return;
    const prev = this.pending.get(p.providerId);
    this.pending.set(
      p.providerId,
      prev ? { from: Math.min(prev.from, from), to: Math.max(prev.to, to) } : { from, to },
    );
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.timer = null;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [listingId, { from, to }] of batch) {
      const change = { listingId, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      for (const send of this.followers.get(listingId) ?? []) send(change);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}

/** Registers the route and its bus consumer; returns the stream (for tests). */
export function availabilityStreamRoutes(app: FastifyInstance, bus: EventBus): AvailabilityStream {
  const stream = new AvailabilityStream();
  const unsubscribe = bus.subscribe('availability-stream', 'broadcast', (e) => stream.handle(e));
  const open = new Map<string, number>();
  const ends = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...ends]) end();
    unsubscribe();
    stream.close();
  });
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/availability/stream',
    {
      schema: {
        tags: ['search'],
        summary: 'Live availability changes of listings (Server-Sent Events, public)',
        description:
          'text/event-stream of `availability` events, each an AvailabilityChange: a listing id and the ' +
          "changed time range. No booking or patient is ever named. Refetch the listing's slots or the " +
          'search on an event.',
        querystring: AvailabilityStreamRequest,
        response: {
          200: {
            description:
              'An event stream; each `data:` line of an `availability` event is one AvailabilityChange',
            content: { 'text/event-stream': { schema: AvailabilityChange } },
          },
        },
      },
      config: {
        docs: { auth: 'none', problems: { 429: 'Too many streams from this address' } },
        rateLimit: { max: AVAILABILITY_STREAM_LIMITS.opensPerMinute, windowMs: 60_000 },
      },
    },
    async (request, reply) => {
      const client = request.ip ?? 'no-ip';
      const count = open.get(client) ?? 0;
      if (count >= AVAILABILITY_STREAM_LIMITS.streamsPerClient)
        throw new DomainError('TOO_MANY_REQUESTS', 'Too many open availability streams from this address.', {
          retryAfterSeconds: 30,
        });
      const ids = [...new Set(request.query.listings.split(',').map((s) => s.toLowerCase()))];
      open.set(client, count + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      res.write(`retry: 5000\n: following ${ids.length} listing(s)\n\n`);
      const stop = stream.follow(ids, (change) => {
        res.write(`event: availability\ndata: ${JSON.stringify(change)}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        stop();
        ends.delete(end);
        const left = (open.get(client) ?? 1) - 1;
        if (left > 0) open.set(client, left);
        else open.delete(client);
        res.end();
      };
      ends.add(end);
      request.raw.on('close', end);
    },
  );
  return stream;
}
