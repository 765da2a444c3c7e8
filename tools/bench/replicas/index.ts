/**
 * Replica reads under load on a real MariaDB primary + GTID replica of its own
 * (apps/api/test/support/mariadb-replication.ts): writers insert rows and read them back with
 * their consistency token, other readers read without one. Reports where reads went, how often
 * a token had to wait or fall back, the lag the checks saw, and read-your-writes violations
 * (must be 0). A second phase stops the replica's SQL thread for a while.
 *
 *   npx tsx tools/bench/replicas/index.ts [operations=4000] [concurrency=8]
 */
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../../../apps/api/src/config/config';
import { closeDatabases, openDatabases } from '../../../apps/api/src/db/open-databases';
import type { ConsistencyToken } from '../../../apps/api/src/db/replication/consistency-token';
import { newReadContext, readContext } from '../../../apps/api/src/db/replication/read-context';
import type { Replication } from '../../../apps/api/src/db/replication/replication';
import { MariadbReplication } from '../../../apps/api/test/support/mariadb-replication';

const operations = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 8);

interface Phase {
  name: string;
  reads: number;
  writes: number;
  violations: number;
  maxLagSeconds: number;
  maxBehind: number;
  ms: number;
}

async function main() {
  const pair = await MariadbReplication.start((l) => console.log(`[replication] ${l}`));
  const name = 'cb_bench_replicas';
  try {
    const admin = await createConnection({ uri: pair.info.primaryUrl });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`CREATE TABLE ${name}.items (id int primary key, owner int not null, v int not null)`);
    await admin.end();
    await pair.waitCaughtUp();
    const config = loadConfig({
      DATABASE_URL: pair.url('primary', name),
      INVENTORY_REPLICA_URLS: pair.url('replica', name),
      REPLICA_CHECK_INTERVAL_SECONDS: '3600',
      REPLICA_WAIT_MS: '250',
      REPLICA_MAX_LAG_SECONDS: '5',
      LOG_LEVEL: 'silent',
    });
    const dbs = openDatabases(config);
    const replication = dbs.replication as Replication;
    // biome-ignore lint/suspicious/noExplicitAny: a bench table outside the schema
    const primary = dbs.inventory.db as any;
    // biome-ignore lint/suspicious/noExplicitAny: idem
    const read = dbs.inventoryRead?.db as any;
    await replication.check();
    let nextId = 1;
    const phases: Phase[] = [];

    const run = async (phaseName: string, during?: () => Promise<void>) => {
      const phase: Phase = {
        name: phaseName,
        reads: 0,
        writes: 0,
        violations: 0,
        maxLagSeconds: 0,
        maxBehind: 0,
        ms: 0,
      };
      const before = new Map(replication.reads().map((r) => [`${r.target}:${r.reason}`, r.count]));
      let remaining = operations;
      let checking = true;
      const checker = (async () => {
        while (checking) {
          await replication.check();
          for (const s of replication.status().filter((x) => x.database === 'inventory')) {
            phase.maxLagSeconds = Math.max(phase.maxLagSeconds, s.lagSeconds);
            phase.maxBehind = Math.max(phase.maxBehind, s.behindTransactions);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const started = performance.now();
      const worker = async (owner: number) => {
        let token: ConsistencyToken = new Map();
        let lastWritten = 0;
        while (remaining-- > 0) {
          const op = Math.random();
          if (op < 0.1) {
            // A write, then the token the API would return.
            const ctx = newReadContext(token);
            await readContext.run(ctx, async () => {
              lastWritten = nextId++;
              await primary.insertInto('items').values({ id: lastWritten, owner, v: 1 }).execute();
              ctx.wrote.add('inventory');
            });
            token = await replication.primaryPositions(ctx.wrote);
            phase.writes++;
          } else if (op < 0.55 && lastWritten) {
            // The writer reads its own write back, echoing its token.
            const seen = await readContext.run(newReadContext(token), () =>
              read.selectFrom('items').select('id').where('id', '=', lastWritten).executeTakeFirst(),
            );
            if (!seen) phase.violations++;
            phase.reads++;
          } else {
            // Someone else: no token, any replica will do.
            await readContext.run(newReadContext(new Map()), () =>
              read
                .selectFrom('items')
                .select((eb: { fn: { countAll: () => { as: (n: string) => unknown } } }) =>
                  eb.fn.countAll().as('n'),
                )
                .where('owner', '=', owner)
                .executeTakeFirst(),
            );
            phase.reads++;
          }
        }
      };
      await Promise.all([...Array.from({ length: concurrency }, (_, i) => worker(i)), during?.()]);
      phase.ms = performance.now() - started;
      checking = false;
      await checker;
      const after = replication.reads();
      const delta = after.map((r) => ({
        key: `${r.target}:${r.reason}`,
        n: r.count - (before.get(`${r.target}:${r.reason}`) ?? 0),
      }));
      const total = delta.reduce((n, d) => n + d.n, 0);
      console.log(
        `\n${phaseName}: ${phase.writes} writes, ${phase.reads} reads (${total} routed statements) in ${(phase.ms / 1000).toFixed(1)} s`,
      );
      for (const d of delta.filter((x) => x.n > 0))
        console.log(
          `  ${d.key.padEnd(22)} ${String(d.n).padStart(6)}  ${((100 * d.n) / total).toFixed(1)} %`,
        );
      console.log(
        `  read-your-writes violations ${phase.violations}; max lag seen ${phase.maxLagSeconds.toFixed(2)} s, max behind ${phase.maxBehind} transactions`,
      );
      phases.push(phase);
    };

    await run('replicating');
    await run('SQL thread stopped for 1.5 s mid-run', async () => {
      await new Promise((r) => setTimeout(r, 300));
      await pair.stopSqlThread();
      await new Promise((r) => setTimeout(r, 1500));
      await pair.startSqlThread();
    });
    await closeDatabases(dbs);
  } finally {
    await pair.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
