import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { documentedBodies } from './schema-defaults';

export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Carebook API',
        version: '1.0.0',
        description:
          'Healthcare booking platform. Errors are RFC 9457 application/problem+json with a stable `code`.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      tags: [
        { name: 'auth', description: 'Sign-up, sign-in, sessions' },
        { name: 'accounts', description: 'The signed-in user' },
        { name: 'admin', description: 'Administration and audit' },
        { name: 'providers', description: 'Listings, services and opening hours (ETag / If-Match)' },
        { name: 'media', description: 'Photos and licence documents' },
        { name: 'bookings', description: 'Holds, bookings and their lifecycle (Idempotency-Key on create)' },
        { name: 'payments', description: 'Payment webhook and the simulated checkout' },
        { name: 'notifications', description: 'In-app notifications' },
        { name: 'search', description: 'Typo-tolerant, geo-aware, faceted search' },
        { name: 'availability', description: 'Bookable slots' },
        { name: 'waitlist', description: 'Waiting for a time; offers held for you' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
  });
  // Multipart uploads are parsed by the handler, not validated as JSON; document their bodies here.
  const addBodies = (doc: Record<string, unknown>) => {
    const paths = (doc.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [key, body] of documentedBodies) {
      const [method = '', path = ''] = key.split(' ');
      const op = paths[path]?.[method.toLowerCase()];
      if (op) op.requestBody = body;
    }
    return doc;
  };
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { deepLinking: true },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () =>
    addBodies(structuredClone(app.swagger()) as Record<string, unknown>),
  );
}
