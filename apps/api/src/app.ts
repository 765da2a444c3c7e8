import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { devMailboxRoutes } from './adapters/mailer/dev-mailbox.routes';
import { rateLimitCounter } from './adapters/resilience/rate-limit-store';
import { breakerReadiness } from './adapters/resilience/readiness';
import { devSmsInboxRoutes } from './adapters/sms/dev-inbox.routes';
import type { Config } from './config/config';
import { type Adapters, createServices, type Services } from './container';
import { registerAuth } from './http/auth-plugin';
import { clientErrorHandler } from './http/client-errors';
import {
  frameworkErrors,
  registerErrorHandling,
  registerNotFound,
  requestIdFrom,
} from './http/error-handler';
import { registerOnSend } from './http/on-send';
import { registerOpenApi } from './http/openapi';
import { registerRateLimit } from './http/rate-limit';
import { registerReadConsistency } from './http/read-consistency';
import { newRequestId } from './http/request-id';
import { OneLineRequestLog } from './http/request-log';
import { lazyRequestLogger } from './http/request-logger';
import { registerSchemaDefaults } from './http/schema-defaults';
import { registerSecurityHeaders } from './http/security-headers';
import { validatorCompiler } from './http/validation';
import { registerWebApp } from './http/web-static';
import { registerJobs } from './jobs/jobs.plugin';
import { loggerOptions } from './lib/logger';
import { accountLinksRoutes } from './modules/accounts/account-links.routes';
import { accountsRoutes } from './modules/accounts/accounts.routes';
import { profileRoutes } from './modules/accounts/profile.routes';
import { staffRoutes } from './modules/accounts/staff.routes';
import { adminRoutes } from './modules/admin/admin.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { bookingsRoutes } from './modules/bookings/bookings.routes';
import { bookingSeriesRoutes } from './modules/bookings/series.routes';
import { registerCalendarFeeds } from './modules/calendar-feeds/calendar-feeds.routes';
import { dataRightsRoutes } from './modules/data-rights/data-rights.routes';
import { registerFhir } from './modules/fhir/fhir.module';
import { healthRoutes } from './modules/health/health.routes';
import { mediaRoutes } from './modules/media/media.routes';
import { messagingRoutes } from './modules/messaging/messaging.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { BatchedLogStream } from './modules/observability/batched-log-stream';
import { createObservability, registerObservability } from './modules/observability/observability';
import { paymentWebhookRoutes } from './modules/payments/payment-webhook.routes';
import { paymentsConfigRoutes, stripeCsp } from './modules/payments/payments-config.routes';
import { simulatedCheckoutRoutes } from './modules/payments/simulated-checkout.routes';
import { registerPracticeSchedule } from './modules/practice/practice.routes';
import { providersRoutes } from './modules/providers/providers.routes';
import { availabilityStreamRoutes } from './modules/realtime/availability-stream';
import { realtimeRoutes } from './modules/realtime/realtime.routes';
import { reviewsRoutes } from './modules/reviews/reviews.routes';
import { searchRoutes } from './modules/search/search.routes';
import { waitlistRoutes } from './modules/waitlist/waitlist.routes';
import { refuseTrafficOnWorker } from './process-role';

export interface BuiltApp {
  app: FastifyInstance;
  services: Services;
}

/** Builds a ready-to-listen app from config and adapters. It never listens by itself. */
export async function buildApp(config: Config, given: Adapters): Promise<BuiltApp> {
  const { mixin, ...logOptions } = loggerOptions(config.logLevel) as pino.LoggerOptions;
  const app = Fastify({
    logger: {
      ...logOptions,
      // The trace ids of the active span: there is none unless tracing is on.
      ...(config.observability.otlpEndpoint !== '' ? { mixin } : {}),
      // Standard output written asynchronously (lines that arrive while a write is under way go out
      // together in the next one; what is buffered is flushed synchronously when the process exits):
      // a synchronous write per line cost ~12 % of the CPU of a /healthz request. (Holding lines
      // back until 4 KiB, sonic-boom's `minLength`, measured worse: it re-measures the growing
      // buffer on every line.)
      // The lines of one event-loop turn are handed to it as one write (batched-log-stream.ts).
      stream: given.logStream ?? new BatchedLogStream(pino.destination({ dest: 1, sync: false })),
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id'], newRequestId),
    logController: new OneLineRequestLog(),
    childLoggerFactory: lazyRequestLogger,
    return503OnClosing: true,
    // onReady joins the event bus (a Kafka group join takes seconds) and may rebuild the index.
    pluginTimeout: 180_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
  });
  // Metrics, tracing and error tracking: the adapters below are the measured ones.
  const observability = createObservability(config, given, app.log);
  const { adapters } = observability;
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: a text/plain body is refused with 415 like any other non-JSON type (README).
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  if (config.processRole === 'worker') refuseTrafficOnWorker(app);
  registerSchemaDefaults(app);
  if (adapters.dbs.replication) registerReadConsistency(app, adapters.dbs.replication);

  const stripe = stripeCsp(config.payments);
  // Web assets from a CDN (PUBLIC_ASSETS_URL, the base the web app was built with) must be allowed.
  const assetOrigins = config.resilience.publicAssetsUrl
    ? [new URL(config.resilience.publicAssetsUrl).origin]
    : [];
  // Helmet's headers (computed once) and x-request-id on every response.
  await registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'", ...assetOrigins],
        fontSrc: ["'self'", ...assetOrigins],
        connectSrc: ["'self'", 'ws:', 'wss:', ...stripe.connectSrc],
        scriptSrc: ["'self'", ...stripe.scriptSrc, ...assetOrigins],
        frameSrc: ["'self'", ...stripe.frameSrc],
        // Self-hosted deployments often run on plain HTTP inside a LAN; TLS belongs to the proxy.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // Shared across instances through Redis when configured; lets requests through if it is down.
  const counter = rateLimitCounter(config.resilience, app.log);
  app.addHook('onReady', () => counter.ready());
  app.addHook('onClose', () => counter.close());
  registerRateLimit(app, { max: config.rateLimitPerMinute, windowMs: 60_000, counter });
  // No-store and compression, in one hook.
  registerOnSend(app);
  await registerOpenApi(app, config.publicUrl);
  await app.register(multipart, { limits: { files: 1, fields: 0, parts: 1 } });

  const services = createServices(config, adapters, app.log, {
    // The simulated provider delivers its signed events through our own webhook route: the code
    // path Stripe's deliveries take.
    deliverWebhook: (raw, signature) => deliverThroughWebhookRoute(app, raw, signature),
  });
  // First: a wrong or missing encryption key stops start-up before anything reads or writes.
  app.addHook('onReady', () => services.privacy.verifyKeyring());
  await registerObservability(app, observability, { config, services });
  registerJobs(app, { config, adapters, services, jobObserver: observability.jobObserver });
  registerAuth(app, services.auth);
  healthRoutes(
    app,
    {
      inventory: adapters.dbs.inventory,
      bookings: adapters.dbs.bookings,
      ...(adapters.dbs.bookingShards ? { bookingShards: adapters.dbs.bookingShards } : {}),
    },
    [
      ...(adapters.dependencies ?? []),
      { name: 'event-stream', check: async () => services.eventBus.health() },
      ...breakerReadiness(services.breakers),
    ],
  );
  authRoutes(app, services.auth);
  accountsRoutes(app, services.auth);
  accountLinksRoutes(app, services);
  profileRoutes(app, services.profile);
  staffRoutes(app, services.staffInvitations);
  // Reset e-mails go out after their response: let them finish before the mailer closes.
  app.addHook('onClose', () => services.accountMail.drain());
  adminRoutes(app, services.admin);
  auditRoutes(app, services.auditRepo);
  dataRightsRoutes(app, services.dataRights);
  providersRoutes(app, services.providers, services.listingServices, services.availability);
  mediaRoutes(app, services.listingMedia, services.media, adapters.clock, config.resilience.publicMediaUrl);
  bookingSeriesRoutes(app, {
    series: services.bookings.series,
    providers: services.providers,
    clock: adapters.clock,
    publicUrl: config.publicUrl,
  });
  bookingsRoutes(app, services.bookings, services.audit);
  paymentWebhookRoutes(app, services.payments, services.paymentEvents);
  notificationsRoutes(app, services.notifications, services.audit);
  searchRoutes(app, services.search);
  reviewsRoutes(app, services.reviews);
  waitlistRoutes(app, services.waitlist);
  paymentsConfigRoutes(app, config.payments);
  await realtimeRoutes(app, services.realtime, services.auth);
  await registerFhir(app, services, adapters, config);
  registerCalendarFeeds(app, services, adapters, config);
  registerPracticeSchedule(app, services, adapters);
  availabilityStreamRoutes(app, services.eventBus);
  if (services.simulated) simulatedCheckoutRoutes(app, services.simulated);
  if (services.devMailbox) devMailboxRoutes(app, services.devMailbox);
  if (services.messaging)
    messagingRoutes(app, services.messaging, {
      publicUrl: config.publicUrl,
      webhooks: !!services.smsSender?.verifyWebhook,
    });
  if (services.devSmsInbox) devSmsInboxRoutes(app, services.devSmsInbox);
  registerNotFound(app, await registerWebApp(app, config.webDistDir));
  return { app, services };
}

/** Posts a signed event to the payment webhook route; a non-2xx answer keeps it queued for a retry. */
async function deliverThroughWebhookRoute(app: FastifyInstance, raw: Buffer, signature: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/payments/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload: raw,
  });
  if (res.statusCode >= 300) throw new Error(`webhook answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
}
