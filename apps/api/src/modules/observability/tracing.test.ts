import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { redisTestUrl } from '../../../test/support/redis';
import { decodeEvent, encodeEvent } from '../../adapters/event-bus/codec';
import { traceIds } from '../../lib/logger';
import { activeTraceparent } from './trace-context';
import { instrumentClients, tracer } from './tracing';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;

// Tracing is switched on by the endpoint being set; the spans go to the in-memory exporter above.
describeAppEachDialect(
  'tracing one booking from the request to its consumers',
  (t) => {
    let p: Practice;
    beforeAll(async () => {
      p = await practice(t() as Ctx);
    });

    it('links request → outbox publish → e-mail, search update and WebSocket push in one trace', async () => {
      const { app, services } = t();
      await services.bookingsRelay.drain();
      exporter.reset();
      const created = await book(app, p.cast.patient.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: WED_0900_NY,
      });
      expect(created.statusCode, created.body).toBe(201);
      // The relay's poll, not the request, moves the row: the trace context travels in the outbox row.
      await services.bookingsRelay.drain();
      const spans = exporter.getFinishedSpans();

      const request = spans.find((s) => s.name === 'POST /api/v1/bookings');
      expect(request?.kind).toBe(SpanKind.SERVER);
      expect(request?.attributes['http.response.status_code']).toBe(201);
      if (!request) throw new Error('no request span');
      const traceId = request.spanContext().traceId;
      const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);

      const sql = inTrace.filter((s) => s.name === 'insert bookings');
      expect(sql.length).toBeGreaterThan(0);
      expect(sql.every((s) => parentOf(s) === idOf(request))).toBe(true);

      const publish = inTrace.find((s) => s.name === 'publish booking.created');
      expect(publish?.kind).toBe(SpanKind.PRODUCER);
      if (!publish) throw new Error('no publish span');
      expect(parentOf(publish)).toBe(idOf(request));
      // The context travelled in the outbox row, written in the booking's transaction.
      const row = await t()
        .db.dbs.bookings.db.selectFrom('bookings_outbox')
        .select('traceparent')
        .where('aggregate_id', '=', (created.json() as { id: string }).id)
        .where('event_type', '=', 'booking.created')
        .executeTakeFirstOrThrow();
      expect(row.traceparent).toBe(`00-${traceId}-${idOf(request)}-01`);

      for (const consumer of ['notifications', 'search-indexer', 'realtime', 'booking-cache']) {
        const consume = inTrace.find((s) => s.name === `consume ${consumer} booking.created`);
        expect(consume?.kind, consumer).toBe(SpanKind.CONSUMER);
        expect(consume && parentOf(consume), consumer).toBe(idOf(publish));
      }
      // The e-mail's own work (its SQL) is a child of the notifications consumer span. A free
      // booking is announced once, created and confirmed in one event.
      const notify = inTrace.find((s) => s.name === 'consume notifications booking.created');
      if (!notify) throw new Error('no notifications span');
      expect(inTrace.some((s) => parentOf(s) === idOf(notify) && s.name.startsWith('insert '))).toBe(true);
    });

    it('joins an incoming traceparent', async () => {
      exporter.reset();
      const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const res = await t().app.inject({ url: '/healthz', headers: { traceparent: parent } });
      expect(res.statusCode).toBe(200);
      const span = exporter.getFinishedSpans().find((s) => s.name === 'GET /healthz');
      expect(span?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(span && parentOf(span)).toBe('00f067aa0ba902b7');
    });
  },
  { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
);

describe('client spans and log correlation', () => {
  beforeAll(() => instrumentClients());

  it('puts trace_id and span_id on log lines inside a span, nothing outside', () => {
    expect(traceIds()).toEqual({});
    tracer().startActiveSpan('work', (span) => {
      expect(traceIds()).toEqual({
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
      });
      expect(activeTraceparent()).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      span.end();
    });
  });

  it('traces outbound HTTP (fetch and node:http) inside a traced operation only', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      exporter.reset();
      await (await fetch(url)).text(); // not inside a span: no client span
      await tracer().startActiveSpan('outer', async (span) => {
        await (await fetch(url)).text();
        span.end();
      });
      const spans = exporter.getFinishedSpans();
      const outer = spans.find((s) => s.name === 'outer');
      const client = spans.filter((s) => s.kind === SpanKind.CLIENT && s.name.startsWith('GET 127.0.0.1'));
      expect(client).toHaveLength(1);
      expect(client[0] && parentOf(client[0])).toBe(outer && idOf(outer));
      expect(client[0]?.attributes['http.response.status_code']).toBe(200);
    } finally {
      server.close();
    }
  });

  it('traces Redis commands', async () => {
    const url = await redisTestUrl();
    if (!url) return; // redisTestUrl printed why (and fails under CI)
    const redis = new Redis(url, { lazyConnect: true });
    await redis.connect();
    try {
      exporter.reset();
      await tracer().startActiveSpan('outer', async (span) => {
        await redis.get(`carebook:test:tracing:${Date.now()}`);
        span.end();
      });
      const get = exporter.getFinishedSpans().find((s) => s.name === 'redis get');
      expect(get?.attributes['db.system.name']).toBe('redis');
    } finally {
      redis.disconnect();
    }
  });
});

describe('trace context on brokers', () => {
  it('travels in the event envelope over Redis Streams and Kafka, and is absent when untraced', () => {
    const event = {
      id: 'e1',
      type: 'booking.created',
      aggregateId: 'b1',
      occurredAt: '2026-12-06T13:00:00.000Z',
      payload: {},
    };
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(decodeEvent(encodeEvent({ ...event, traceparent }))).toEqual({ ...event, traceparent });
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
    expect(encodeEvent(event)).not.toContain('traceparent');
  });
});
