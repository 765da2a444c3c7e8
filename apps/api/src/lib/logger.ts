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
