import type { Migration } from 'kysely';
import { identity } from './inventory/20261124T2000-identity';
import { listings } from './inventory/20261124T2100-listings';

/**
 * One migration set per logical database. Names are timestamps and never change once landed;
 * a change to the schema is always a new migration.
 */
export const migrationSets = {
  inventory: { '20261124T2000-identity': identity, '20261124T2100-listings': listings } as Record<
    string,
    Migration
  >,
  bookings: {} as Record<string, Migration>,
} as const;

export type MigrationSetName = keyof typeof migrationSets;
