import { trace } from '@opentelemetry/api';
import type { FastifyServerOptions } from 'fastify';

/** Fields whose values never reach a log line, wherever they appear (two levels deep). */
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
];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...sensitiveFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    mixin: traceIds,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; headers: Record<string, unknown> }) => ({
        method: req.method,
        url: req.url,
        ip: req.ip,
        headers: { 'user-agent': req.headers['user-agent'], authorization: req.headers.authorization },
      }),
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
