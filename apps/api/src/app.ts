import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerDevMailbox } from './adapters/mailer/dev-mailbox.routes';
import type { Config } from './config/config';
import { type Adapters, createServices, type Services } from './container';
import { DomainError } from './domain/errors';
import { registerAuth } from './http/auth-plugin';
import { registerCompression } from './http/compression';
import { registerErrorHandling, registerNotFound, requestIdFrom } from './http/error-handler';
import { registerOpenApi } from './http/openapi';
import { OneLineRequestLog } from './http/request-log';
import { registerSchemaDefaults } from './http/schema-defaults';
import { registerSecurityHeaders } from './http/security-headers';
import { validatorCompiler } from './http/validation';
import { registerWebApp } from './http/web-static';
import { archivalHour, BookingArchival } from './jobs/archival';
import { CACHE_WARMING_DEFAULTS, startCacheWarming } from './jobs/cache-warming';
import { instanceHolderId, type LeasedJob, LeaseStore, runLeased } from './jobs/lease';
import { refreshPassedSlots, startSearchFreshness } from './jobs/search-freshness';
import { newId } from './lib/ids';
import { loggerOptions } from './lib/logger';
import { accountsRoutes } from './modules/accounts/accounts.routes';
import { adminRoutes } from './modules/admin/admin.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { bookingsRoutes } from './modules/bookings/bookings.routes';
import { registerCalendarFeeds } from './modules/calendar-feeds/calendar-feeds.routes';
import { registerFhir } from './modules/fhir/fhir.module';
import { healthRoutes } from './modules/health/health.routes';
import { mediaRoutes } from './modules/media/media.routes';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes';
import { createObservability, registerObservability } from './modules/observability/observability';
import { paymentsConfigRoutes, stripeCsp } from './modules/payments/payments-config.routes';
import { registerSimulatedCheckout } from './modules/payments/simulated-checkout.routes';
import { providersRoutes } from './modules/providers/providers.routes';
import { realtimeRoutes } from './modules/realtime/realtime.routes';
import { rebuildSearchIndex } from './modules/search/rebuild';
import { registerSearchRoutes } from './modules/search/search.routes';

export interface BuiltApp {
  app: FastifyInstance;
  services: Services;
}

/** Builds a ready-to-listen app from config and adapters. It never listens by itself. */
export async function buildApp(config: Config, given: Adapters): Promise<BuiltApp> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id'], newId),
    logController: new OneLineRequestLog(),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // Metrics, tracing and error tracking: the adapters below are the measured ones.
  const observability = createObservability(config, given, app.log);
  const { adapters } = observability;
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  registerSchemaDefaults(app);

  const stripe = stripeCsp(config.payments);
  // Helmet's headers (computed once) and x-request-id on every response.
  await registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", 'ws:', 'wss:', ...stripe.connectSrc],
        scriptSrc: ["'self'", ...stripe.scriptSrc],
        frameSrc: ["'self'", ...stripe.frameSrc],
        // Self-hosted deployments often run on plain HTTP inside a LAN; TLS belongs to the proxy.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // request.ip is undefined on a Unix socket or an injected upgrade; never crash on it.
    keyGenerator: (request) => request.ip ?? 'no-ip',
    errorResponseBuilder: (_req, ctx) =>
      new DomainError('TOO_MANY_REQUESTS', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s.`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
  await registerCompression(app);
  await registerOpenApi(app, config.publicUrl);
  await app.register(multipart, { limits: { files: 1, fields: 0, parts: 1 } });

  const services = createServices(config, adapters, app.log);
  await registerObservability(app, observability, { config, services });
  let stopFreshness = () => {};
  // Scheduled jobs run under leases in the booking database: one instance at a time (jobs/README.md).
  const leases = {
    store: new LeaseStore(adapters.dbs.bookings.db, adapters.clock),
    // The configured instance id, made unique per process (two processes given one id must
    // still never share a lease).
    holder: `${config.cluster.instanceId}:${instanceHolderId()}`,
    log: app.log,
    observe: observability.jobObserver,
  };
  const leased: LeasedJob[] = [];
  let warming: ReturnType<typeof startCacheWarming> | null = null;
  app.addHook('onReady', async () => {
    // Consumers are subscribed (createServices); start consuming before the rebuild, so nothing
    // committed while the index is rebuilt is missed (index upserts are idempotent).
    await services.eventBus.start();
    // The database is the source of truth; the index is rebuilt from it at start-up.
    const { count, ms } = await rebuildSearchIndex(
      (adapters.dbs.inventoryRead ?? adapters.dbs.inventory).db,
      services.searchIndex,
      services.busyTime,
      adapters.clock,
    );
    app.log.info({ count, ms }, 'search index rebuilt');
    services.relay.start();
    services.bookingsRelay.start();
    // An embedded index belongs to this instance, so each instance refreshes its own; a shared
    // (Elasticsearch) index needs it once per minute in the whole cluster.
    const freshness = {
      index: services.searchIndex,
      indexer: services.searchIndexer,
      clock: adapters.clock,
      log: app.log,
    };
    if (config.searchUrl)
      leased.push(
        runLeased(leases, 'search-freshness', 60_000, () =>
          refreshPassedSlots(freshness.index, freshness.indexer, freshness.clock),
        ),
      );
    else stopFreshness = startSearchFreshness(freshness, 60_000);
    if (config.bookings.lifecycleIntervalSeconds > 0)
      leased.push(
        runLeased(leases, 'booking-lifecycle', config.bookings.lifecycleIntervalSeconds * 1000, () =>
          services.lifecycle.tick(),
        ),
      );
    const simulated = services.simulated;
    if (simulated)
      leased.push(
        runLeased(leases, 'simulated-webhook-retries', 30_000, () => simulated.retryPendingDeliveries()),
      );
    warming = startCacheWarming(
      {
        ...leases,
        db: adapters.dbs.bookings.db,
        clock: adapters.clock,
        warm: (id) => services.providers.get(null, id),
      },
      {
        ...CACHE_WARMING_DEFAULTS,
        intervalMs: config.cluster.cacheWarming.intervalSeconds * 1000,
        topN: config.cluster.cacheWarming.top,
      },
    );
    // Nightly (by default) archival of old finished bookings, once per cluster.
    const archival = new BookingArchival(
      {
        db: adapters.dbs.bookings.db,
        archive: services.archive,
        clock: adapters.clock,
        cache: services.cache,
        log: app.log,
      },
      { olderThanDays: config.cluster.archiveAfterDays },
    );
    // Nightly: the lease holder looks every 15 minutes and works only in the configured UTC hour
    // (later passes in that hour find nothing due). A short tick keeps the lease short, so if the
    // holder dies another instance takes over within the hour, not a day later.
    leased.push(
      runLeased(leases, 'booking-archival', 15 * 60_000, async () => {
        if (!archivalHour(adapters.clock.now(), config.cluster.archiveHourUtc)) return;
        const { archived } = await archival.runOnce();
        if (archived > 0) app.log.info({ archived }, 'archived finished bookings');
      }),
    );
    services.providers.viewed = (id) => warming?.views.viewed(id);
  });
  app.addHook('onClose', async () => {
    // Jobs first (they release their leases for the next instance), then what they feed.
    await Promise.all([...leased.map((job) => job.stop()), warming?.stop()]);
    await Promise.all([services.relay.stop(), services.bookingsRelay.stop(), services.lifecycle.stop()]);
    await services.eventBus.close();
    stopFreshness();
    await services.searchIndex.close();
  });
  registerAuth(app, services.auth);
  healthRoutes(app, { inventory: adapters.dbs.inventory, bookings: adapters.dbs.bookings }, [
    ...(adapters.dependencies ?? []),
    { name: 'event-stream', check: async () => services.eventBus.health() },
  ]);
  authRoutes(app, services.auth);
  accountsRoutes(app, services.auth);
  adminRoutes(app, services.admin);
  providersRoutes(app, services.providers, services.availability);
  mediaRoutes(app, services.providers, services.media, adapters.clock);
  bookingsRoutes(app, services.bookings, services.payments, services.paymentEvents);
  registerNotificationRoutes(app, services.notifications);
  registerSearchRoutes(app, services.search);
  paymentsConfigRoutes(app, config.payments);
  await realtimeRoutes(app, services.realtime, services.auth);
  await registerFhir(app, services, adapters, config);
  registerCalendarFeeds(app, services, adapters, config);
  if (services.simulated) {
    registerSimulatedCheckout(app, services.simulated);
    // The simulated provider delivers its signed events through our own webhook route: the code
    // path Stripe's deliveries take. A non-2xx answer keeps the event queued for a retry.
    services.webhook.deliver = async (raw, signature) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/payments/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        payload: raw,
      });
      if (res.statusCode >= 300)
        throw new Error(`webhook answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    };
  }
  if (services.devMailbox) registerDevMailbox(app, services.devMailbox);
  registerNotFound(app, await registerWebApp(app, config.webDistDir));
  return { app, services };
}
