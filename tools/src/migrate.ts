import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { closeDatabases, migrateAll, openDatabases } from '../../apps/api/src/db/open-databases';

/** `npm run migrate`: applies pending migrations to both logical databases, then exits. */
loadDotEnv();
try {
  const config = loadConfig();
  const dbs = openDatabases(config);
  try {
    const applied = await migrateAll(dbs);
    console.log(
      applied.length > 0
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Nothing to apply: both databases are up to date.',
    );
    console.log(
      `  inventory ${redactUrl(config.databases.inventory.url)}\n  bookings  ${redactUrl(config.databases.bookings.url)}`,
    );
  } finally {
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
