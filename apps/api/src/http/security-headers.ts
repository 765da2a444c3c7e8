import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** Headers of any response that helmet has nothing to do with. */
const NOT_HELMET = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The headers @fastify/helmet sets for the given options. They depend on the options only (no
 * CSP nonces here), so they are worked out once by asking helmet itself on a throwaway instance.
 */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][]> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, options);
  probe.get('/', async () => 'ok');
  const res = await probe.inject({ url: '/' });
  await probe.close();
  return Object.entries(res.headers)
    .filter(([name]) => !NOT_HELMET.has(name))
    .map(([name, value]) => [name, String(value)]);
}

/**
 * Security headers (helmet's, computed once) and `x-request-id` on every response, in one
 * synchronous `onRequest` hook. @fastify/helmet itself rebuilds its middleware and re-parses the
 * CSP directives on every request, which cost more than the rest of a cached read.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    raw.setHeader('x-request-id', request.id);
    done();
  });
}
