import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv } from '../../apps/api/src/config/config';
import { runBackup } from './backup/run';

/**
 * `npm run backup [-- --out DIR]`: a consistent copy of both databases, the media the listings
 * refer to, and a manifest with checksums, in a new directory under DIR (default BACKUP_DIR or
 * ./backups). See docs/operations-resilience.md.
 */
loadDotEnv();
try {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfig();
  const { dir, manifest } = await runBackup(config, values.out ?? process.env.BACKUP_DIR ?? './backups', {
    log: (line) => console.log(line),
  });
  const rows = manifest.databases.reduce(
    (n, d) => n + Object.values(d.rowCounts).reduce((a, b) => a + b, 0),
    0,
  );
  console.log(
    `Backup complete: ${dir}\n  ${rows} rows, ${manifest.blobs.length} blobs; manifest.json holds the checksums.`,
  );
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
