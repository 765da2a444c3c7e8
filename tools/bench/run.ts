/**
 * `npm run bench -- <name> [args]`: runs one benchmark in its own process. Each benchmark measures
 * its baseline side by side in the same run and prints ratios; none of them is part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches: Record<string, { entry: string; about: string }> = {
  search: {
    entry: 'search/index.ts',
    about:
      'embedded engine vs @orama/orama, minisearch and OpenSearch 2.19 (100k listings; --million adds 1M)',
  },
  booking: {
    entry: 'booking/index.ts',
    about: 'HTTP bookings/s vs raw insert txn/s, and a 200-client hot slot (SQLite and MariaDB)',
  },
  http: {
    entry: 'http/index.ts',
    about: 'per-request overhead: Carebook vs a Fastify hello-world (healthz, provider read, searches)',
  },
  'shard-sim': {
    entry: 'shard-sim.ts',
    about: 'one day of bookings replayed over 1/2/4/8 booking shards: per-shard load and hot spots',
  },
  slots: {
    entry: '../../apps/api/src/modules/availability/domain/slots.bench.ts',
    about: '30 days of slot computation for one provider',
  },
};

const [name, ...args] = process.argv.slice(2);
// `search --million`: the embedded engine alone at 1,000,000 listings (search/million.ts).
const bench =
  name === 'search' && args.includes('--million')
    ? { entry: 'search/million.ts', about: '' }
    : name
      ? benches[name]
      : undefined;
if (!bench || !existsSync(join(here, bench.entry))) {
  console.error('usage: npm run bench -- <name> [args]\n');
  for (const [n, b] of Object.entries(benches)) console.error(`  ${n.padEnd(8)} ${b.about}`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', join(here, bench.entry), ...args],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
