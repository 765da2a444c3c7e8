import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Mark a route whose answers carry tokens or personal data even for anonymous callers. */
    noStore?: boolean;
  }
}

/** Paths whose answers carry tokens or someone's personal data, whoever asks. */
const SENSITIVE_PATHS = [
  /^\/api\/v1\/auth\//,
  /^\/api\/v1\/me(\/|$)/,
  /^\/api\/v1\/sessions(\/|$)/,
  /^\/dev\/mailbox(\/|$)/,
];

/**
 * `Cache-Control: no-store` on every response that carries tokens or personal data: any answer to
 * an authenticated request (the principal, or an Authorization header even when it was refused),
 * the token endpoints, the dev mailbox, and routes marked `config.noStore`. Neither a browser nor
 * a proxy may keep a copy. Public answers (search, listings, photos) keep their own caching.
 */
export function registerNoStore(app: FastifyInstance): void {
  // A synchronous hook: no promise and no extra tick per response.
  app.addHook('onSend', (request, reply, payload, done) => {
    const url = request.url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const sensitive =
      request.routeOptions.config?.noStore === true ||
      request.principal != null ||
      request.headers.authorization !== undefined ||
      SENSITIVE_PATHS.some((re) => re.test(path));
    if (sensitive) {
      const current = reply.getHeader('cache-control');
      if (!(typeof current === 'string' && current.includes('no-store')))
        reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
