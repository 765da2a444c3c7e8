import diagnostics from 'node:diagnostics_channel';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Redis from 'ioredis';

export const tracer = () => trace.getTracer('carebook-api');

/**
 * Starts the OpenTelemetry SDK with the OTLP/HTTP exporter (it reads `OTEL_EXPORTER_OTLP_ENDPOINT`
 * and friends from the environment). Called by server.ts only when the endpoint is set: with
 * tracing off nothing is loaded, no hook is registered and no span is made. Returns a shutdown
 * that flushes pending spans.
 */
export async function startTracingSdk(serviceName: string): Promise<() => Promise<void>> {
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const sdk = new NodeSDK({ serviceName, traceExporter: new OTLPTraceExporter(), instrumentations: [] });
  sdk.start();
  instrumentClients();
  return () => sdk.shutdown();
}

let clientsInstrumented = false;

/**
 * Spans for Redis commands and outbound HTTP (Stripe, S3, the search cluster, anything using
 * fetch/undici or node:http), made only inside a traced operation (a request, a consumer), so
 * background polling does not flood the trace store. Process-wide and idempotent.
 */
export function instrumentClients(): void {
  if (clientsInstrumented) return;
  clientsInstrumented = true;
  instrumentRedis();
  instrumentOutboundHttp();
}

function instrumentRedis(): void {
  type Command = { name: string; promise: Promise<unknown> };
  const proto = Redis.prototype as unknown as { sendCommand: (c: Command, ...rest: unknown[]) => unknown };
  const original = proto.sendCommand;
  proto.sendCommand = function (this: unknown, command: Command, ...rest: unknown[]) {
    if (!trace.getActiveSpan()) return original.call(this, command, ...rest);
    const span = tracer().startSpan(`redis ${command.name}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'redis', 'db.operation.name': command.name },
    });
    const result = original.call(this, command, ...rest);
    command.promise.then(
      () => span.end(),
      (err: unknown) => endWithError(span, err),
    );
    return result;
  };
}

function endWithError(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function instrumentOutboundHttp(): void {
  const spans = new WeakMap<object, Span>();
  const start = (request: object, method: string, url: string) => {
    if (!trace.getActiveSpan()) return;
    const { host } = new URL(url);
    spans.set(
      request,
      tracer().startSpan(`${method} ${host}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'server.address': host,
          'url.full': url.split('?')[0] ?? url,
        },
      }),
    );
  };
  const finish = (request: object, status?: number, err?: unknown) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (err !== undefined || (status ?? 0) >= 500) endWithError(span, err ?? new Error(`HTTP ${status}`));
    else span.end();
  };
  // fetch and undici (Stripe's fetch client, @elastic/transport).
  type UndiciRequest = { origin: string; method: string; path: string };
  diagnostics.subscribe('undici:request:create', (m) => {
    const { request } = m as { request: UndiciRequest };
    start(request, request.method, `${request.origin}${request.path}`);
  });
  diagnostics.subscribe('undici:request:headers', (m) => {
    const { request, response } = m as { request: object; response: { statusCode: number } };
    finish(request, response.statusCode);
  });
  diagnostics.subscribe('undici:request:error', (m) => {
    const { request, error } = m as { request: object; error: unknown };
    finish(request, undefined, error);
  });
  // node:http (the AWS SDK's handler).
  type ClientRequest = { method: string; protocol: string; host: string; path: string };
  diagnostics.subscribe('http.client.request.start', (m) => {
    const { request } = m as { request: ClientRequest };
    start(request, request.method, `${request.protocol}//${request.host}${request.path}`);
  });
  diagnostics.subscribe('http.client.response.finish', (m) => {
    const { request, response } = m as { request: object; response: { statusCode?: number } };
    finish(request, response.statusCode);
  });
  diagnostics.subscribe('http.client.request.error', (m) => {
    const { request, error } = m as { request: object; error: unknown };
    finish(request, undefined, error);
  });
}
