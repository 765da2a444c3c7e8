import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import type { Principal, RequestMeta } from '../lib/request-meta';
import type { AuthService } from '../modules/auth/auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.=]+)$/;

/**
 * Resolves `Authorization: Bearer …` on every route marked `auth: 'required'` (or 'optional'),
 * before validation runs, so an anonymous caller learns nothing about a route's inputs.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.docs?.auth;
    if (mode !== 'required' && mode !== 'optional') return;
    const header = request.headers.authorization;
    if (!header) {
      if (mode === 'required')
        throw new DomainError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <access token>.');
      return;
    }
    const match = BEARER.exec(header);
    if (!match?.[1])
      throw new DomainError('INVALID_TOKEN', 'The Authorization header must be "Bearer <access token>".');
    request.principal = await auth.authenticate(match[1]);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', 'Sign in first.');
  return request.principal;
}

export function metaOf(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null, requestId: request.id };
}
