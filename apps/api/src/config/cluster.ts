import { hostname } from 'node:os';
import { redactUrl } from './redact';

/** What a reader of environment variables offers (config.ts's Reader). */
export interface EnvReader {
  string(name: string, fallback: string): string;
  int(name: string, fallback: number, min: number, max: number): number;
}

/**
 * Settings that only matter once several instances share the engines: who this instance is, the
 * event stream, read replicas, the archive, the two-level cache and the scheduled jobs around it.
 */
export interface ClusterConfig {
  /** Names this process in leases, consumer groups and logs; unique per running instance. */
  instanceId: string;
  /** 'memory' (one process), redis://… (Redis Streams) or kafka://broker1:9092,broker2:9092. */
  eventBusUrl: string;
  /** A read replica for read-only queries (listing reads, search rebuild); '' = the primary. */
  readDatabaseUrl: string;
  archive: { kind: 'sql' } | { kind: 'dynamodb'; table: string; region: string; endpoint?: string };
  /** Finished bookings older than this many days move to the archive. */
  archiveAfterDays: number;
  /** The UTC hour in which the nightly archival runs. */
  archiveHourUtc: number;
  /**
   * The in-process L1 in front of Redis (production). `maxStalenessMs` 0 = strict: an L1 hit first
   * confirms no invalidation is in flight (adapters/cache/README.md); above 0 bounds staleness instead.
   */
  cacheL1: { maxEntries: number; ttlSeconds: number; maxStalenessMs: number };
  cacheWarming: { intervalSeconds: number; top: number };
}

export function readClusterConfig(read: EnvReader, prod: boolean, problems: string[]): ClusterConfig {
  const instanceId = read.string('INSTANCE_ID', `${hostname()}-${process.pid}`);
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(instanceId))
    problems.push('INSTANCE_ID: letters, digits and . _ : - only, at most 100 characters');

  const eventBusUrl = read.string('EVENT_BUS_URL', prod ? '' : 'memory');
  if (!eventBusUrl)
    problems.push(
      'EVENT_BUS_URL: required in the production profile (redis://host:6379 or kafka://host:9092)',
    );
  else if (eventBusUrl !== 'memory' && !/^(rediss?|kafka):\/\//.test(eventBusUrl))
    problems.push(`EVENT_BUS_URL: must be "memory", redis:// or kafka:// (got "${redactUrl(eventBusUrl)}")`);
  else if (prod && eventBusUrl === 'memory')
    problems.push(
      'EVENT_BUS_URL: the production profile needs Redis Streams or Kafka, not the in-process bus',
    );

  const readDatabaseUrl = read.string('READ_DATABASE_URL', '');
  if (readDatabaseUrl && !readDatabaseUrl.startsWith('mysql://'))
    problems.push('READ_DATABASE_URL: must be a mysql:// URL of a read replica');

  const archiveKind = read.string('ARCHIVE_STORE', 'sql');
  let archive: ClusterConfig['archive'] = { kind: 'sql' };
  if (archiveKind === 'dynamodb') {
    const table = read.string('ARCHIVE_DYNAMODB_TABLE', '');
    if (!table) problems.push('ARCHIVE_DYNAMODB_TABLE: required with ARCHIVE_STORE=dynamodb');
    const endpoint = read.string('ARCHIVE_DYNAMODB_ENDPOINT', '');
    if (endpoint && !/^https?:\/\//.test(endpoint))
      problems.push('ARCHIVE_DYNAMODB_ENDPOINT: must be an http(s) URL');
    archive = {
      kind: 'dynamodb',
      table,
      region: read.string('ARCHIVE_DYNAMODB_REGION', read.string('AWS_REGION', 'us-east-1')),
      ...(endpoint ? { endpoint } : {}),
    };
  } else if (archiveKind !== 'sql') {
    problems.push(`ARCHIVE_STORE: must be sql or dynamodb (got "${archiveKind}")`);
  }

  return {
    instanceId,
    eventBusUrl,
    readDatabaseUrl,
    archive,
    archiveAfterDays: read.int('ARCHIVE_AFTER_DAYS', 90, 1, 3650),
    archiveHourUtc: read.int('ARCHIVE_HOUR_UTC', 3, 0, 23),
    cacheL1: {
      maxEntries: read.int('CACHE_L1_ENTRIES', 1000, 1, 1_000_000),
      ttlSeconds: read.int('CACHE_L1_TTL_SECONDS', 5, 1, 3600),
      maxStalenessMs: read.int('CACHE_L1_MAX_STALENESS_MS', 0, 0, 60_000),
    },
    cacheWarming: {
      intervalSeconds: read.int('CACHE_WARM_INTERVAL_SECONDS', 60, 10, 86_400),
      top: read.int('CACHE_WARM_TOP', 100, 0, 100_000),
    },
  };
}
