import { parseArgs } from 'node:util';
import { DEMO_SEED } from '@carebook/demo-data';
import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { closeDatabases, migrateAll, openDatabases } from '../../apps/api/src/db/open-databases';
import { seedDemoListings } from '../../apps/api/src/modules/providers/demo-listings';
import { systemClock } from '../../apps/api/src/ports/clock';

/**
 * `npm run seed -- --count 100000 [--seed 42] [--batch 1000]`: applies pending migrations, then
 * writes generated, published demo listings owned by the directory account. A database whose
 * directory account already owns listings is left alone.
 */
const usage = 'usage: npm run seed -- --count <n> [--seed <n>] [--batch <n>]';

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min) throw new ConfigError([`--${name}: must be a whole number ≥ ${min}`]);
  return n;
}

loadDotEnv();
try {
  const { values } = parseArgs({
    options: { count: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' } },
  });
  const count = wholeNumber('count', values.count, 2000, 0);
  const seed = wholeNumber('seed', values.seed, DEMO_SEED, 0);
  const batchSize = wholeNumber('batch', values.batch, 1000, 1);
  const config = loadConfig();
  if (config.profile === 'production')
    throw new ConfigError(['CAREBOOK_PROFILE: demo listings are never seeded in the production profile']);
  const dbs = openDatabases(config);
  try {
    await migrateAll(dbs);
    const started = performance.now();
    const { inserted } = await seedDemoListings(dbs.inventory.db, {
      count,
      seed,
      batchSize,
      clock: systemClock,
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = inserted > 0 ? Math.round(inserted / seconds) : 0;
    console.log(
      inserted > 0
        ? `Inserted ${inserted} demo listings (seed ${seed}) in ${seconds.toFixed(1)} s: ${rate} listings/s`
        : 'Inserted 0 demo listings: the directory account already owns listings.',
    );
    console.log(`  inventory ${redactUrl(config.databases.inventory.url)}`);
  } finally {
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `${err.message}\n${usage}` : err);
  process.exit(1);
}
