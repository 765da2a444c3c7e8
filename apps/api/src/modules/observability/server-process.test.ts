import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../../tools/free-port';
import { ApiProcess, until } from '../../../test/support/processes';

/**
 * The real server process with tracing and a metrics port: spans reach an OTLP/HTTP collector
 * (a local HTTP server recording what it is sent) and /metrics moves to its own port.
 */
describe('server process with OTEL_EXPORTER_OTLP_ENDPOINT and METRICS_PORT', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'carebook-otel-'));
  const received: { path: string; body: string }[] = [];
  let collector: Server;
  let api: ApiProcess;
  let metricsPort = 0;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const collectorPort = (collector.address() as { port: number }).port;
    const port = await freePort();
    metricsPort = await freePort();
    api = new ApiProcess('api', {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
      OTEL_SERVICE_NAME: 'carebook-test',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: 'scrape-me',
    });
    await api.start();
  }, 90_000);

  afterAll(async () => {
    await api?.stop();
    collector?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /metrics on the metrics port only, behind the token', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    const base = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(base)).status).toBe(401);
    const res = await fetch(base, { headers: { authorization: 'Bearer scrape-me' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(
      /carebook_http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/,
    );
  });

  it('exports the spans of a request to the OTLP endpoint, in the caller’s trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${api.url}/api/v1/search?q=skin`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(res.status).toBe(200);
    // SIGTERM flushes the batch processor before the process exits (exit code 0).
    expect(await api.stop()).toBe(0);
    await until(
      'spans to reach the collector',
      async () => received.some((r) => r.body.includes(traceId)),
      10_000,
    );
    const batch = received.find((r) => r.body.includes(traceId));
    expect(batch?.path).toBe('/v1/traces');
    expect(batch?.body).toContain('GET /api/v1/search');
    expect(batch?.body).toContain('carebook-test');
  }, 30_000);
});
