import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { ErrorTracker } from './error-tracker';
import { Children, CounterChild, HistogramChild } from './metric-children';
import type { Metrics } from './metrics';
import { contextFromTraceparent } from './trace-context';
import { tracer } from './tracing';

const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/**
 * Request metrics and 5xx reporting: one `onResponse` hook that finds the request's two series
 * (count and latency) by one Map lookup and adds to them (Fastify has already timed it;
 * metric-children.ts), plus an `onError` hook that keeps the thrown error so a 5xx is reported
 * with its fingerprint.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics, errors: ErrorTracker): void {
  const series = new Children((labels) => ({
    count: new CounterChild(metrics.httpRequests, labels),
    duration: new HistogramChild(metrics.httpDuration, labels),
  }));
  const thrown = new WeakMap<FastifyRequest, Error>();
  app.addHook('onError', (request, _reply, error, done) => {
    thrown.set(request, error);
    done();
  });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const method = request.method;
    const route = routeOf(request);
    const status = reply.statusCode;
    // A route template has no line break; the key cannot be two label sets'.
    const key = `${method}\n${route}\n${status}`;
    const s = series.get(key) ?? series.add(key, { method, route, status: String(status) });
    s.count.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    if (status >= 500) {
      const err = thrown.get(request) ?? new Error(`HTTP ${status} on ${method} ${route}`);
      // An expected unavailability (a DomainError such as SERVICE_UNAVAILABLE) is a warning; anything else is a bug.
      const expected = err instanceof DomainError;
      errors.report(
        'http',
        err,
        { route, method, status, reqId: request.id },
        expected ? 'request answered with a server error' : 'unexpected error',
        expected ? 'warn' : 'error',
      );
    }
    done();
  });
}

/**
 * A server span per request, parented on an incoming `traceparent`. The span's context is entered
 * in `onRequest` and again in `preHandler` (body parsing runs in the socket's async context, so the
 * handler would otherwise lose it); everything the handler awaits — SQL, Redis, outbound HTTP, the
 * outbox row it writes — becomes a child. Registered only when tracing is on.
 */
export function registerHttpTracing(app: FastifyInstance): void {
  const active = new WeakMap<FastifyRequest, { span: Span; ctx: ReturnType<typeof context.active> }>();
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.traceparent;
    const parent = contextFromTraceparent(typeof header === 'string' ? header : undefined, context.active());
    const span = tracer().startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'url.path': request.url.split('?')[0] ?? '/' },
      },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    active.set(request, { span, ctx });
    context.with(ctx, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = active.get(request);
    if (entry) context.with(entry.ctx, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const entry = active.get(request);
    if (entry) {
      const route = routeOf(request);
      entry.span.updateName(`${request.method} ${route}`);
      entry.span.setAttributes({ 'http.route': route, 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
      active.delete(request);
    }
    done();
  });
}
