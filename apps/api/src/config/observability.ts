import type { EnvReader } from './cluster';

/** Metrics, tracing and error tracking (docs/operations.md). */
export interface ObservabilityConfig {
  /** `/metrics` needs `Authorization: Bearer <token>` when set. */
  metricsToken: string;
  /** When set, `/metrics` is served on this port only (not on the API port). */
  metricsPort: number | null;
  /** OTLP/HTTP collector; tracing is off (no spans, no hooks) when empty. */
  otlpEndpoint: string;
  serviceName: string;
  /** Sentry error reporting; off when empty. */
  sentryDsn: string;
}

export function readObservabilityConfig(
  read: EnvReader,
  env: Record<string, string | undefined>,
): ObservabilityConfig {
  return {
    metricsToken: read.string('METRICS_TOKEN', ''),
    metricsPort: env.METRICS_PORT ? read.int('METRICS_PORT', 9464, 1, 65535) : null,
    otlpEndpoint: read.string('OTEL_EXPORTER_OTLP_ENDPOINT', ''),
    serviceName: read.string('OTEL_SERVICE_NAME', 'carebook-api'),
    sentryDsn: read.string('SENTRY_DSN', ''),
  };
}
