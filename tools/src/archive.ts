import { parseArgs } from 'node:util';
import { createArchive } from '../../apps/api/src/adapters/archive/create';
import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { BookingArchival } from '../../apps/api/src/jobs/archival';
import { DataKeysRepository } from '../../apps/api/src/modules/privacy/data-keys.repository';
import { resolveKeyring } from '../../apps/api/src/modules/privacy/keyring';
import { PrivacyService } from '../../apps/api/src/modules/privacy/privacy.service';
import { systemClock } from '../../apps/api/src/ports/clock';
import { archiveFlags, archiveOptions } from './archive-options';

/**
 * `npm run archive [-- --older-than-days 90] [--batch-size 200] [--store sql|dynamodb]
 * [--table T --region R --endpoint URL --create-table]`: one archival pass, the same the nightly
 * job runs. Finished bookings older than the age move from the booking database to the archive.
 * Defaults come from ARCHIVE_AFTER_DAYS, ARCHIVE_STORE, ARCHIVE_DYNAMODB_TABLE,
 * ARCHIVE_DYNAMODB_REGION and ARCHIVE_DYNAMODB_ENDPOINT; the database from the usual config.
 * Safe to run while the API runs, and twice at once.
 */
const usage =
  'usage: npm run archive [-- --older-than-days <n>] [--batch-size <n>] [--store sql|dynamodb] ' +
  '[--table <name>] [--region <region>] [--endpoint <url>] [--create-table]';

loadDotEnv();
try {
  const { values } = parseArgs({
    options: {
      'older-than-days': { type: 'string' },
      'batch-size': { type: 'string' },
      ...archiveFlags,
    },
  });
  const days = Number(values['older-than-days'] ?? process.env.ARCHIVE_AFTER_DAYS ?? 90);
  const batchSize = Number(values['batch-size'] ?? 200);
  if (!Number.isInteger(days) || days < 1)
    throw new ConfigError(['--older-than-days must be an integer ≥ 1']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
    throw new ConfigError(['--batch-size must be an integer from 1 to 1000']);
  const options = archiveOptions(values);

  const config = loadConfig();
  const dbs = openDatabases(config);
  const archive = await createArchive(options, dbs.bookings.db);
  try {
    // Legacy plaintext fields are sealed before they are archived; refuses a wrong or missing key.
    const privacy = new PrivacyService(
      new DataKeysRepository(dbs.inventory.db),
      resolveKeyring(config),
      systemClock,
    );
    await privacy.verifyKeyring();
    const job = new BookingArchival(
      {
        db: dbs.bookings.db,
        archive,
        clock: systemClock,
        privacy,
      },
      { olderThanDays: days, batchSize },
    );
    const started = performance.now();
    const { archived } = await job.runOnce();
    console.log(
      `Archived ${archived} finished bookings older than ${days} days in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    console.log(`  bookings ${redactUrl(config.databases.bookings.url)}`);
    console.log(
      `  archive  ${options.kind === 'sql' ? 'archived_bookings table' : `DynamoDB table ${options.table}`}`,
    );
  } finally {
    await archive.close();
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `${err.message}\n${usage}` : err);
  process.exit(1);
}
