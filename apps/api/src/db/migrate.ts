import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { type MigrationSetName, migrationSets } from './migrations';

function migrator<T>(db: Kysely<T>, set: MigrationSetName): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrationSets[set] },
    // Each set keeps its own bookkeeping, so both can live in one database.
    migrationTableName: `kysely_migration_${set}`,
    migrationLockTableName: `kysely_migration_lock_${set}`,
  });
}

export async function migrateToLatest<T>(db: Kysely<T>, set: MigrationSetName): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db, set).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${set}/${failed} failed: ${(result.error as Error).message ?? result.error}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied; /readyz is not ready while any are pending. */
export async function pendingMigrations<T>(db: Kysely<T>, set: MigrationSetName): Promise<string[]> {
  const all = await migrator(db, set).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
