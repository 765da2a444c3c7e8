import { Problem } from '@carebook/contracts';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './error-handler';

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
});

/** Error responses every API route can give; routes add their specific ones (409, 428…). */
const common: Record<string, string> = {
  '400': 'Invalid request (problem+json with field paths)',
  '429': 'Too many requests',
  '500': 'Unexpected error',
};
const authenticated: Record<string, string> = {
  '401': 'Missing, invalid or expired credentials',
  '403': 'The role may not do this, or the account is suspended',
};

export interface RouteDocs {
  auth?: 'required' | 'optional' | 'none';
  /** Extra problem statuses this route can return, with their meaning. */
  problems?: Record<number, string>;
  /**
   * An OpenAPI requestBody for bodies Fastify does not validate as JSON (multipart uploads);
   * added to the document by `documentedBodies`.
   */
  body?: object;
}

/** requestBody objects of non-JSON routes, keyed "METHOD /openapi/{path}". */
export const documentedBodies = new Map<string, object>();

declare module 'fastify' {
  interface FastifyContextConfig {
    docs?: RouteDocs;
  }
}

/**
 * Adds the problem+json error responses to every /api route's schema, so the OpenAPI document
 * tells the truth about errors without each route repeating them.
 */
export function registerSchemaDefaults(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/v1') || !route.schema) return;
    const docs = (route.config as { docs?: RouteDocs } | undefined)?.docs ?? {};
    if (docs.body) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      for (const method of [route.method].flat()) documentedBodies.set(`${method} ${path}`, docs.body);
    }
    const response = { ...((route.schema.response as Record<string, unknown>) ?? {}) };
    const errors: Record<string, string> = { ...common };
    if (docs.auth === 'required') Object.assign(errors, authenticated);
    for (const [status, text] of Object.entries(docs.problems ?? {})) errors[status] = text;
    for (const [status, description] of Object.entries(errors)) {
      if (!(status in response)) response[status] = problemResponse(description);
    }
    route.schema = {
      ...route.schema,
      response,
      ...(docs.auth === 'required' ? { security: [{ bearerAuth: [] }] } : {}),
    };
  });
}
