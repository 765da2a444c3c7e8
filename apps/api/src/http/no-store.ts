import type { FastifyReply, FastifyRequest } from 'fastify';

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
 * Called from the one `onSend` hook (http/on-send.ts).
 */
export function applyNoStore(request: FastifyRequest, reply: FastifyReply): void {
  const sensitive =
    request.principal != null ||
    request.headers.authorization !== undefined ||
    request.routeOptions.config?.noStore === true ||
    isSensitivePath(request.url);
  if (sensitive) {
    const current = reply.getHeader('cache-control');
    if (!(typeof current === 'string' && current.includes('no-store')))
      reply.header('cache-control', 'no-store');
  }
}

function isSensitivePath(url: string): boolean {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return SENSITIVE_PATHS.some((re) => re.test(path));
}
