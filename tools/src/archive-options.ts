import type { ArchiveOptions } from '../../apps/api/src/adapters/archive/create';
import { ConfigError } from '../../apps/api/src/config/config';

/** The archive flags shared by `npm run archive` and `npm run rotate-keys` (parseArgs options). */
export const archiveFlags = {
  store: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'create-table': { type: 'boolean' },
} as const;

export const archiveUsage = '[--store sql|dynamodb] [--table <name>] [--region <region>] [--endpoint <url>]';

/**
 * Which archive the flags name; defaults from ARCHIVE_STORE, ARCHIVE_DYNAMODB_TABLE,
 * ARCHIVE_DYNAMODB_REGION (or AWS_REGION) and ARCHIVE_DYNAMODB_ENDPOINT.
 */
export function archiveOptions(values: {
  store?: string | undefined;
  table?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  'create-table'?: boolean | undefined;
}): ArchiveOptions {
  const store = values.store ?? process.env.ARCHIVE_STORE ?? 'sql';
  if (store === 'sql') return { kind: 'sql' };
  if (store !== 'dynamodb') throw new ConfigError([`--store must be sql or dynamodb, not ${store}`]);
  const table = values.table ?? process.env.ARCHIVE_DYNAMODB_TABLE ?? '';
  if (!table)
    throw new ConfigError(['--table (or ARCHIVE_DYNAMODB_TABLE) is required with --store dynamodb']);
  const endpoint = values.endpoint ?? process.env.ARCHIVE_DYNAMODB_ENDPOINT;
  return {
    kind: 'dynamodb',
    table,
    region: values.region ?? process.env.ARCHIVE_DYNAMODB_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    createTable: values['create-table'] ?? false,
  };
}
