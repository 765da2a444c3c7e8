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
  // Synchronous until there is a token to check: public routes pay no promise or tick for it.
  app.addHook('onRequest', (request, _reply, done) => {
    const mode = request.routeOptions.config?.docs?.auth;
    if (mode !== 'required' && mode !== 'optional') return done();
    const header = request.headers.authorization;
    if (!header) {
      if (mode === 'required')
        return done(
          new DomainError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <access token>.'),
        );
      return done();
    }
    const match = BEARER.exec(header);
    if (!match?.[1])
      return done(
        new DomainError('INVALID_TOKEN', 'The Authorization header must be "Bearer <access token>".'),
      );
    auth.authenticate(match[1]).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (err: Error) => done(err),
    );
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
