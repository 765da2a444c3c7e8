import { trace } from '@opentelemetry/api';
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';

/** Fields whose values never reach a log line, wherever they appear (four levels deep). */
export const sensitiveFields = [
  'password',
  'currentPassword',
  'newPassword',
  'password_hash',
  'refreshToken',
  'accessToken',
  'token',
  'secret',
  'authorization',
  'cookie',
  'x-api-key',
  'set-cookie',
];

const SENSITIVE = new Set(sensitiveFields);
const CENSOR = '[redacted]';
/** Keys are looked at on the logged object and three levels below it (pino's old paths were 3). */
const MAX_DEPTH = 3;

/**
 * The value with every sensitive key's value replaced by `[redacted]`, copied only where something
 * is censored (the logged objects are never mutated; a line without secrets costs one set lookup
 * per key). Errors that need censoring become their serialised form, so message and stack stay.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = censorSecrets(value[i], depth + 1);
      if (item !== value[i]) {
        out ??= value.slice();
        out[i] = item;
      }
    }
    return (out ?? value) as T;
  }
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const v = source[key];
    let next: unknown;
    if (SENSITIVE.has(key)) next = v === undefined ? v : CENSOR;
    else next = censorSecrets(v, depth + 1);
    if (next !== v) {
      out ??= value instanceof Error ? { ...stdSerializers.err(value) } : { ...source };
      out[key] = next;
    }
  }
  return (out ?? value) as T;
}

/** A serializer whose output goes through {@link censorSecrets}. */
const censored =
  <A, R>(serialize: (value: A) => R) =>
  (value: A): R =>
    censorSecrets(serialize(value));

/**
 * pino options. Redaction is {@link censorSecrets} on each line's object (`formatters.log`, which
 * runs before the serializers) and on what each serializer returns — instead of
 * pino's `redact` with wildcard paths, which ran a compiled redactor over every value of every line. Child-logger bindings are not
 * looked at (pino formats them once, unformatted): bind ids, never credentials.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    mixin: traceIds,
    formatters: {
      log: (obj) => censorSecrets(obj),
    },
    serializers: {
      req: censored(
        (req: { method: string; url: string; ip?: string; headers: Record<string, unknown> }) => ({
          method: req.method,
          url: req.url,
          ip: req.ip,
          headers: { 'user-agent': req.headers['user-agent'], authorization: req.headers.authorization },
        }),
      ),
      res: censored((reply: { statusCode: number }) => ({ statusCode: reply.statusCode })),
      err: censored(stdSerializers.err),
    },
  };
}

/**
 * `trace_id` and `span_id` of the span active where the line is logged (a request, a consumer), so
 * a log line leads to its trace. Nothing is added when tracing is off (no span is ever active).
 */
export function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
