import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/config';
import { type Adapters, createServices, type Services } from './container';
import { registerAuth } from './http/auth-plugin';
import { registerErrorHandling, registerNotFound, requestIdFrom } from './http/error-handler';
import { registerOpenApi } from './http/openapi';
import { ProblemError } from './http/problem';
import { registerSchemaDefaults } from './http/schema-defaults';
import { validatorCompiler } from './http/validation';
import { registerWebApp } from './http/web-static';
import { newId } from './lib/ids';
import { loggerOptions } from './lib/logger';
import { accountsRoutes } from './modules/accounts/accounts.routes';
import { adminRoutes } from './modules/admin/admin.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { healthRoutes } from './modules/health/health.routes';
import { mediaRoutes } from './modules/media/media.routes';
import { providersRoutes } from './modules/providers/providers.routes';

export interface BuiltApp {
  app: FastifyInstance;
  services: Services;
}

/** Builds a ready-to-listen app from config and adapters. It never listens by itself. */
export async function buildApp(config: Config, adapters: Adapters): Promise<BuiltApp> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id'], newId),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  registerSchemaDefaults(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        scriptSrc: ["'self'"],
        // Self-hosted deployments often run on plain HTTP inside a LAN; TLS belongs to the proxy.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) =>
      new ProblemError('TOO_MANY_REQUESTS', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s.`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
  await registerOpenApi(app, config.publicUrl);
  await app.register(multipart, { limits: { files: 1, fields: 0, parts: 1 } });

  const services = createServices(config, adapters, app.log);
  app.addHook('onReady', async () => services.relay.start());
  app.addHook('onClose', async () => services.relay.stop());
  registerAuth(app, services.auth);
  healthRoutes(app, { inventory: adapters.dbs.inventory, bookings: adapters.dbs.bookings });
  authRoutes(app, services.auth);
  accountsRoutes(app, services.auth);
  adminRoutes(app, services.admin);
  providersRoutes(app, services.providers, services.availability);
  mediaRoutes(app, services.providers, services.media, adapters.clock);
  registerNotFound(app, await registerWebApp(app, config.webDistDir));
  return { app, services };
}
