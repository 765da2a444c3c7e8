import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether a request may read /metrics: the bearer token when one is configured, else loopback only. */
export function mayScrape(token: string, authorization: string | undefined, ip: string | undefined): boolean {
  if (!token) return ip !== undefined && LOOPBACK.has(ip);
  const given = Buffer.from(authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `GET /metrics` on the API port: behind `METRICS_TOKEN` (Bearer) when set, otherwise answered to
 * loopback clients only (the embedded profile, or a sidecar). Not in the OpenAPI document.
 */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string): void {
  app.get(
    '/metrics',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request: FastifyRequest, reply) => {
      if (!mayScrape(token, request.headers.authorization, request.ip)) {
        return reply
          .code(token ? 401 : 403)
          .header('www-authenticate', 'Bearer')
          .type('text/plain')
          .send(token ? 'metrics need a bearer token\n' : 'metrics are served to loopback clients only\n');
      }
      return reply.type(metrics.registry.contentType).send(await metrics.text());
    },
  );
}

/**
 * `/metrics` on its own port (`METRICS_PORT`), for a scraper on the private network: the API port
 * does not serve it then. The token, when set, is still required.
 */
export function startMetricsServer(
  metrics: Metrics,
  host: string,
  port: number,
  token: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (token && !mayScrape(token, req.headers.authorization, undefined)) {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('unauthorised\n');
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
