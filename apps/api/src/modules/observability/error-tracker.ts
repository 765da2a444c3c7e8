import { createHash } from 'node:crypto';
import type { Metrics } from './metrics';

export type ErrorSource = 'http' | 'job' | 'consumer' | 'relay' | 'process';

interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What Sentry's `captureException` needs from us (the SDK is loaded only when SENTRY_DSN is set). */
export type ExceptionSink = (err: unknown, fingerprint: string, tags: Record<string, string>) => void;

/**
 * A stable fingerprint for "the same bug": the error's class, code and the first frames of its stack
 * with line and column numbers and absolute paths removed, so it survives unrelated edits,
 * redeploys to another directory and varying messages (ids in the text), and two different
 * failures of one route stay apart. 12 hex characters.
 */
export function errorFingerprint(err: unknown, source = ''): string {
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & { code?: unknown };
  const frames = (e.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at ') && !l.includes('node:internal') && !l.includes('node_modules'))
    .slice(0, 3)
    .map((l) =>
      l
        .replace(/:\d+:\d+\)?$/, '')
        .replace(/\(?(file:\/\/)?\/[^\s()]*?\/(apps|packages|tools)\//, '$2/')
        .replace(/\s+\($/, ''),
    );
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : '';
  const basis = [source, e.name, code, ...frames].join('|');
  return createHash('sha256').update(basis).digest('hex').slice(0, 12);
}

/**
 * The one place an error meant for operators is logged: once, with its fingerprint, counted in
 * `carebook_errors_total{source,fingerprint}`, and sent to Sentry when configured.
 */
export class ErrorTracker {
  sink: ExceptionSink | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  report(
    source: ErrorSource,
    err: unknown,
    context: Record<string, unknown>,
    message: string,
    level: 'error' | 'warn' = 'error',
  ): string {
    const fingerprint = errorFingerprint(err, source);
    this.metrics.errors.inc({ source, fingerprint });
    this.log[level]({ err, fingerprint, source, ...context }, message);
    if (level === 'error') this.sink?.(err, fingerprint, { source, ...stringTags(context) });
    return fingerprint;
  }
}

function stringTags(context: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) if (typeof v === 'string') tags[k] = v.slice(0, 200);
  return tags;
}

/** Sentry, when `SENTRY_DSN` is set: loaded lazily, without its own OpenTelemetry set-up (ours stays). */
export async function sentrySink(dsn: string, environment: string): Promise<ExceptionSink> {
  const Sentry = await import('@sentry/node');
  Sentry.init({ dsn, environment, enableOpenTelemetrySetup: false, defaultIntegrations: false });
  return (err, fingerprint, tags) => {
    Sentry.captureException(err, { fingerprint: [fingerprint], tags });
  };
}
