import { parseArgs } from 'node:util';
import { createArchive } from '../../apps/api/src/adapters/archive/create';
import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { BlindIndex } from '../../apps/api/src/modules/privacy/blind-index';
import { DataKeysRepository } from '../../apps/api/src/modules/privacy/data-keys.repository';
import { rotateDataKeys } from '../../apps/api/src/modules/privacy/key-rotation';
import { resolveKeyring } from '../../apps/api/src/modules/privacy/keyring';
import { sealLegacyPlaintext } from '../../apps/api/src/modules/privacy/legacy-sealing';
import { PrivacyService } from '../../apps/api/src/modules/privacy/privacy.service';
import { systemClock } from '../../apps/api/src/ports/clock';
import { archiveFlags, archiveOptions, archiveUsage } from './archive-options';

/**
 * `npm run rotate-keys [-- --batch-size 500] [--store dynamodb --table T …]`: re-wraps every data key under the current
 * key-encryption key (the first of ENCRYPTION_KEYS), in batches, while the API keeps running.
 * Then it seals the personal data that databases created before field encryption still hold in
 * plaintext (legacy rows), each value with its patient's data key, also in batches — with the
 * records of a DynamoDB archive when ARCHIVE_STORE (or --store) names one.
 * Interrupt it at any time and run it again: it continues where it stopped. When it reports
 * 0 remaining, older keys can be removed from ENCRYPTION_KEYS (docs/security.md).
 */
const usage = `usage: npm run rotate-keys [-- --batch-size <1-5000>] ${archiveUsage}`;
loadDotEnv();
try {
  const { values } = parseArgs({
    options: { 'batch-size': { type: 'string' }, ...archiveFlags },
  });
  const batchSize = Number(values['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000)
    throw new ConfigError(['--batch-size must be an integer from 1 to 5000']);
  const archiveConfig = archiveOptions(values);
  const config = loadConfig();
  const dbs = openDatabases(config);
  // The SQL archive is sealed with the other tables; another store (DynamoDB) through its port.
  const archive =
    archiveConfig.kind === 'sql' ? undefined : await createArchive(archiveConfig, dbs.bookings.db);
  try {
    const keyring = resolveKeyring(config);
    const repo = new DataKeysRepository(dbs.inventory.db);
    // Refuses to touch anything when a configured key is wrong or a key in use is missing.
    const privacy = new PrivacyService(repo, keyring, systemClock);
    await privacy.verifyKeyring();
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    console.log(
      `re-wrapping data keys under "${keyring.current.kid}" in ${redactUrl(config.databases.inventory.url)}`,
    );
    const result = await rotateDataKeys(
      { repo, keyring, clock: systemClock },
      {
        batchSize,
        signal: stop.signal,
        onBatch: (p) =>
          console.log(`  ${p.rewrapped} re-wrapped${p.skipped ? `, ${p.skipped} changed meanwhile` : ''}`),
      },
    );
    console.log(
      result.remaining === 0
        ? `done: ${result.rewrapped} re-wrapped; every data key is under "${keyring.current.kid}", older keys can be removed from ENCRYPTION_KEYS`
        : `stopped: ${result.remaining} data key(s) still under older keys; run again to continue`,
    );
    if (result.remaining > 0) process.exitCode = 3;
    if (!stop.signal.aborted) {
      console.log('sealing personal data still stored in plaintext (rows from before field encryption)');
      const legacy = await sealLegacyPlaintext(
        {
          inventory: dbs.inventory.db,
          bookings: dbs.bookings.db,
          privacy,
          phoneIndex: new BlindIndex(keyring, 'sms-phone'),
          ...(archive ? { archive } : {}),
        },
        {
          batchSize,
          signal: stop.signal,
          onBatch: (table, p) => console.log(`  ${table}: ${p.sealed} row(s) sealed so far`),
        },
      );
      console.log(
        stop.signal.aborted
          ? `stopped: ${legacy.sealed} row(s) sealed; run again to continue`
          : `done: ${legacy.sealed} legacy row(s) sealed${legacy.skipped ? `, ${legacy.skipped} changed meanwhile (run again)` : ''}`,
      );
      if (stop.signal.aborted || legacy.skipped > 0) process.exitCode = 3;
    }
  } finally {
    await archive?.close();
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(
    err instanceof ConfigError ? `${err.message}\n${usage}` : err instanceof Error ? err.message : err,
  );
  process.exitCode = 1;
}
