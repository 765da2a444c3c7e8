import type { Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { createArchive } from './adapters/archive/create';
import { createLayeredRedisCache } from './adapters/cache/layered-redis';
import { offsetFileClock } from './adapters/clock/offset-file';
import { createEventBus } from './adapters/event-bus/create-event-bus';
import { handlersPerConsumer } from './adapters/event-bus/in-process';
import { buildApp } from './app';
import { ConfigError, loadConfig, loadDotEnv, redactUrl } from './config/config';
import { pendingMigrations } from './db/migrate';
import { closeDatabases, migrateAll, openDatabases } from './db/open-databases';
import { demoAccounts, seedDemoAccounts } from './modules/accounts/demo-accounts';
import type { SoftDependency } from './modules/health/health.routes';
import { startMetricsServer } from './modules/observability/metrics.routes';
import { installProcessHandlers } from './modules/observability/process-handlers';
import { startTracingSdk } from './modules/observability/tracing';
import { DEMO_SEED, seedDemoListingsIfEmpty } from './modules/providers/demo-listings';
import { type Clock, systemClock } from './ports/clock';

/** Entry point: config → databases → migrations → app → listen; SIGTERM drains gracefully. */
async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Carebook cannot start.\n${err.message}`);
      process.exit(78);
    }
    throw err;
  }

  // Browser tests may move time forward (embedded profile only; config refuses it in production).
  const clock: Clock = config.testClockFile ? offsetFileClock(config.testClockFile) : systemClock;
  // Before anything opens a connection, so every span has a provider (off: nothing is loaded).
  const obsConfig = config.observability;
  const stopTracing = obsConfig.otlpEndpoint ? await startTracingSdk(obsConfig.serviceName) : async () => {};
  const dbs = openDatabases(config);
  if (config.migrateOnStart) {
    await migrateAll(dbs);
  } else {
    const pending = [
      ...(await pendingMigrations(dbs.inventory.db, 'inventory')),
      ...(await pendingMigrations(dbs.bookings.db, 'bookings')),
      ...(
        await Promise.all((dbs.bookingShards ?? []).map((s) => pendingMigrations(s.db, 'bookings')))
      ).flat(),
    ];
    if (pending.length > 0) {
      console.error(
        `Carebook cannot start: pending migrations (${pending.join(', ')}). Run \`npm run migrate\`.`,
      );
      process.exit(78);
    }
  }

  // Production: a small in-process L1 in front of Redis, invalidations broadcast over Redis pub/sub;
  // a Redis outage degrades to database reads (and /readyz says degraded), never to errors.
  const { cluster } = config;
  const cache =
    config.cacheUrl === 'memory'
      ? undefined
      : await createLayeredRedisCache({
          url: config.cacheUrl,
          keyPrefix: 'carebook:cache:',
          instanceId: cluster.instanceId,
          l1MaxEntries: cluster.cacheL1.maxEntries,
          l1TtlMs: cluster.cacheL1.ttlSeconds * 1000,
          maxStalenessMs: cluster.cacheL1.maxStalenessMs,
        });
  const archive = await createArchive(cluster.archive, dbs.bookings.db);
  const dependencies: SoftDependency[] = [];
  if (cache)
    dependencies.push({
      name: 'cache',
      // The cache learns Redis is back from its next operation; a readiness probe is one, so an
      // idle instance does not keep reporting an outage that is over.
      check: async () => {
        if (!cache.health().ok) await cache.get('readyz:probe').catch(() => undefined);
        return cache.health();
      },
    });
  // Replicas in rotation per logical database (reads fall back to the primary when none is).
  if (dbs.replication) dependencies.push(...dbs.replication.readiness());
  // The bus exists before the app (and its logger); its reports reach the app's logger once it exists.
  let appLog: FastifyBaseLogger | undefined;
  const busLog = {
    warn: (obj: object, msg: string) => (appLog ? appLog.warn(obj, msg) : console.warn(msg, obj)),
    error: (obj: object, msg: string) => (appLog ? appLog.error(obj, msg) : console.error(msg, obj)),
  };
  const eventBus = createEventBus(cluster.eventBusUrl, {
    instanceId: cluster.instanceId,
    log: busLog,
    inProcess: { concurrency: handlersPerConsumer(dbs.inventory.dialect) },
  });
  const { app, services } = await buildApp(config, {
    dbs,
    clock,
    eventBus,
    archive,
    dependencies,
    ...(cache ? { cache } : {}),
  });
  appLog = app.log;
  if (config.seedDemoData) {
    await seedDemoAccounts(dbs.inventory.db, services.hasher, clock);
    const started = performance.now();
    const { inserted } = await seedDemoListingsIfEmpty(dbs.inventory.db, {
      count: config.demoListings,
      seed: DEMO_SEED,
      clock,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (inserted > 0) console.log(`seeded ${inserted} demo listings in ${seconds} s`);
  }

  let metricsServer: Server | null = null;
  let shuttingDown = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('graceful shutdown timed out after 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    // close() sweeps idle keep-alive sockets once; a request still in flight leaves its socket
    // idle only after answering, so keep sweeping until the drain is done.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(sweep);
      await closeDatabases(dbs);
      await services.cache.close();
      await archive.close();
      await services.mailer.close();
      metricsServer?.close();
      await stopTracing();
      app.log.info('shutdown complete');
      process.exit(exitCode);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  installProcessHandlers(process, app.observability.errors, (reason, code) => void shutdown(reason, code));

  await app.listen({ host: config.host, port: config.port });
  metricsServer =
    obsConfig.metricsPort === null
      ? null
      : await startMetricsServer(
          app.observability.metrics,
          config.host,
          obsConfig.metricsPort,
          obsConfig.metricsToken,
        );
  const base = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  const lines = [
    '',
    `Carebook is running (${config.profile} profile) at ${base}`,
    `  web app      ${base}/`,
    `  API docs     ${base}/api/docs`,
    `  health       ${base}/healthz   readiness ${base}/readyz`,
    `  metrics      ${obsConfig.metricsPort === null ? `${base}/metrics` : `port ${obsConfig.metricsPort}`}${obsConfig.metricsToken ? ' (bearer token)' : ''}`,
    `  inventory db ${redactUrl(config.databases.inventory.url)}`,
    `  bookings db  ${redactUrl(config.databases.bookings.url)}`,
  ];
  if (config.processRole !== 'all')
    lines.push(
      config.processRole === 'api'
        ? '  role         api (PROCESS_ROLE): the `once` consumers and the scheduled jobs run on the workers'
        : '  role         worker (PROCESS_ROLE): consumers and jobs only; HTTP answers /healthz, /readyz, /metrics',
    );
  if (config.testClockFile) lines.push(`  TEST CLOCK   offset in ms read from ${config.testClockFile}`);
  if (config.seedDemoData) {
    lines.push('  demo accounts (embedded profile only):');
    for (const a of demoAccounts)
      lines.push(`    ${a.role.padEnd(9)} ${a.email.padEnd(24)} password: ${a.password}`);
  }
  console.log(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error('Carebook failed to start:', err);
  process.exit(1);
});
