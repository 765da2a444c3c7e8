import type { BreakerOptions } from '../adapters/resilience/breaker';
import type { EnvReader } from './cluster';

/** The outside dependencies guarded by a timeout and a circuit breaker. */
export const GUARDED_DEPENDENCIES = ['payments', 'mail', 'blob-store', 'search'] as const;
export type GuardedDependency = (typeof GUARDED_DEPENDENCIES)[number];

/**
 * Operations settings of the resilience layer: per-dependency call timeouts and breakers, the
 * shared rate-limit store, and the CDN origins of static content.
 */
export interface ResilienceConfig {
  breakers: Record<GuardedDependency, BreakerOptions>;
  /** The rate limiter's store: 'memory' (per instance) or a redis(s):// URL shared by all instances. */
  rateLimitStoreUrl: string;
  /** Key prefix of the shared counters (one per deployment sharing a Redis). */
  rateLimitKeyPrefix: string;
  /** Where browsers load the web app's hashed assets from ('' = this server), e.g. https://cdn.example.com/app. */
  publicAssetsUrl: string;
  /** The public origin (S3 bucket website or a CDN) that serves public photos ('' = the API streams them). */
  publicMediaUrl: string;
}

/** Env names; documented in docs/operations-resilience.md. */
const ENV_PREFIX: Record<GuardedDependency, string> = {
  payments: 'PAYMENTS',
  mail: 'SMTP',
  'blob-store': 'BLOB_STORE',
  search: 'SEARCH',
};
/** Defaults: well under a request budget of ~10 s; SMTP runs in the background so it may take longer. */
const DEFAULT_TIMEOUT_MS: Record<GuardedDependency, number> = {
  payments: 8000,
  mail: 15_000,
  'blob-store': 5000,
  search: 2500,
};

export function readResilienceConfig(
  read: EnvReader,
  cacheUrl: string,
  problems: string[],
): ResilienceConfig {
  const threshold = read.int('BREAKER_FAILURE_THRESHOLD', 5, 1, 1000);
  const halfOpenAfterMs = read.int('BREAKER_HALF_OPEN_AFTER_MS', 15_000, 50, 3_600_000);
  const breakers = Object.fromEntries(
    GUARDED_DEPENDENCIES.map((d) => [
      d,
      {
        timeoutMs: read.int(`${ENV_PREFIX[d]}_TIMEOUT_MS`, DEFAULT_TIMEOUT_MS[d], 50, 120_000),
        failureThreshold: threshold,
        halfOpenAfterMs,
      },
    ]),
  ) as Record<GuardedDependency, BreakerOptions>;
  const rateLimitStoreUrl = read.string(
    'RATE_LIMIT_STORE_URL',
    cacheUrl === 'memory' || !cacheUrl ? 'memory' : cacheUrl,
  );
  if (rateLimitStoreUrl !== 'memory' && !/^rediss?:\/\//.test(rateLimitStoreUrl))
    problems.push('RATE_LIMIT_STORE_URL: must be "memory" or a redis:// / rediss:// URL');
  const url = (name: string) => {
    const v = read.string(name, '').replace(/\/+$/, '');
    if (v && !/^https?:\/\//.test(v)) problems.push(`${name}: must be an http(s) URL`);
    return v;
  };
  return {
    breakers,
    rateLimitStoreUrl,
    rateLimitKeyPrefix: read.string('RATE_LIMIT_KEY_PREFIX', 'carebook:rate-limit:'),
    publicAssetsUrl: url('PUBLIC_ASSETS_URL'),
    publicMediaUrl: url('PUBLIC_MEDIA_URL'),
  };
}
