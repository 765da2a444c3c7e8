import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv } from '../../apps/api/src/config/config';
import { runRestore } from './backup/run';

/**
 * `npm run restore -- <backup-dir> [--force]`: verifies the manifest's checksums, loads the
 * backup into the configured databases (which must be empty unless --force) and blob store, and
 * checks every table's row count. Run migrations afterwards only if the code is newer than the backup.
 */
loadDotEnv();
try {
  const { values, positionals } = parseArgs({
    options: { force: { type: 'boolean' } },
    allowPositionals: true,
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run restore -- <backup-dir> [--force]');
  const config = loadConfig();
  const report = await runRestore(config, dir, {
    force: values.force ?? false,
    log: (line) => console.log(line),
  });
  console.log(
    `Restore complete: ${report.restored.join(' + ')}; ${report.blobs} blobs; row counts match the manifest.`,
  );
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
