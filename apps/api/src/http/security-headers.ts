import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** Headers of any response that helmet has nothing to do with. */
const NOT_HELMET = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The headers @fastify/helmet sets for the given options. They depend on the options only (no
 * CSP nonces here), so they are worked out once by asking helmet itself on a throwaway instance.
 */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, options);
  probe.get('/', async () => 'ok');
  const res = await probe.inject({ url: '/' });
  await probe.close();
  return Object.fromEntries(
    Object.entries(res.headers)
      .filter(([name]) => !NOT_HELMET.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
}

/**
 * Security headers (helmet's, computed once) and `x-request-id` on every response, in one
 * synchronous `onRequest` hook. @fastify/helmet itself rebuilds its middleware and re-parses the
 * CSP directives on every request, which cost more than the rest of a cached read. They go into
 * the reply's own headers (not `reply.raw.setHeader`, which validates each one when set and makes
 * Node merge the reply's headers into the raw ones one `setHeader` at a time when the head is
 * written): Node checks them once, as it writes the head. A route that hijacks the reply writes
 * `reply.getHeaders()` itself (see the availability stream).
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });
}
