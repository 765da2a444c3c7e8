import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../adapters/event-bus/in-process';
import { systemClock } from '../../ports/clock';
import { ErrorTracker, sentrySink } from './error-tracker';
import { instrumentEventBus } from './instrument-adapters';
import { Metrics } from './metrics';
import { startMetricsServer } from './metrics.routes';
import { installProcessHandlers } from './process-handlers';

/** A logger that keeps its lines, to check what operators would read. */
function recordingLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  return {
    lines,
    error: (obj: object, msg: string) =>
      lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg: string) =>
      lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
}

const errorCount = async (metrics: Metrics, source: string) =>
  ((await metrics.registry.getSingleMetric('carebook_errors_total')?.get())?.values ?? [])
    .filter((v) => v.labels.source === source)
    .reduce((a, v) => a + v.value, 0);

describe('error tracking', () => {
  it('logs, counts and shuts down cleanly (exit 1) on an unhandled rejection or uncaught exception', async () => {
    const metrics = new Metrics();
    const log = recordingLog();
    const proc = new EventEmitter();
    const shutdowns: [string, number][] = [];
    installProcessHandlers(proc, new ErrorTracker(metrics, log), (reason, code) =>
      shutdowns.push([reason, code]),
    );
    proc.emit('unhandledRejection', new Error('nobody awaited me'));
    proc.emit('uncaughtException', new TypeError('x is not a function'));
    expect(shutdowns).toEqual([
      ['unhandledRejection', 1],
      ['uncaughtException', 1],
    ]);
    expect(log.lines).toHaveLength(2);
    expect(
      log.lines.every((l) => l.level === 'error' && /^[0-9a-f]{12}$/.test(String(l.obj.fingerprint))),
    ).toBe(true);
    expect(await errorCount(metrics, 'process')).toBe(2);
  });

  it('reports a failing consumer once per failure with its fingerprint, and counts its outcome', async () => {
    const metrics = new Metrics();
    const log = recordingLog();
    const errors = new ErrorTracker(metrics, log);
    const bus = instrumentEventBus(new InProcessEventBus(), {
      metrics,
      errors,
      tracing: false,
      clock: systemClock,
    });
    bus.subscribe('mailer', 'once', async () => {
      throw new Error('SMTP said no');
    });
    await bus.start();
    const event = {
      id: 'e1',
      type: 'booking.created',
      aggregateId: 'b1',
      occurredAt: new Date().toISOString(),
      payload: { to: 'pending' },
    };
    await expect(bus.publish([event])).rejects.toThrow();
    // Another booking: the failed one's later events are held back unhandled until it is redelivered.
    await expect(bus.publish([{ ...event, id: 'e2', aggregateId: 'b2' }])).rejects.toThrow();
    const consumerLines = log.lines.filter((l) => l.obj.source === 'consumer');
    expect(consumerLines).toHaveLength(2);
    expect(consumerLines[0]?.obj.fingerprint).toBe(consumerLines[1]?.obj.fingerprint);
    expect(await errorCount(metrics, 'consumer')).toBe(2);
    const consumed = await metrics.eventsConsumed.get();
    expect(consumed.values).toEqual([{ labels: { consumer: 'mailer', outcome: 'error' }, value: 2 }]);
    await bus.close();
  });

  it('reports a broker publish failure as the relay’s, once per attempt', async () => {
    const metrics = new Metrics();
    const log = recordingLog();
    const unreachable = new InProcessEventBus();
    // A bus that is not the in-process one: its rejection is the broker's, not a consumer's.
    const broker = {
      publish: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
      },
      subscribe: unreachable.subscribe.bind(unreachable),
      start: () => unreachable.start(),
      close: () => unreachable.close(),
      health: () => ({ ok: false }),
    };
    const bus = instrumentEventBus(broker, {
      metrics,
      errors: new ErrorTracker(metrics, log),
      tracing: false,
      clock: systemClock,
    });
    const event = {
      id: 'e1',
      type: 'listing.updated',
      aggregateId: 'l1',
      occurredAt: new Date().toISOString(),
      payload: {},
    };
    await expect(bus.publish([event])).rejects.toThrow('ECONNREFUSED');
    expect(log.lines.map((l) => [l.level, l.obj.source, l.msg])).toEqual([
      ['error', 'relay', 'outbox relay: publish failed; will retry'],
    ]);
    expect(await errorCount(metrics, 'relay')).toBe(1);
  });

  it('sends errors to Sentry with the fingerprint when SENTRY_DSN is set', async () => {
    const envelopes: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString());
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const metrics = new Metrics();
      const errors = new ErrorTracker(metrics, recordingLog());
      errors.sink = await sentrySink(`http://publickey@127.0.0.1:${port}/42`, 'test');
      const fingerprint = errors.report(
        'job',
        new Error('archive store unreachable'),
        { job: 'archival' },
        'job failed',
      );
      const Sentry = await import('@sentry/node');
      await Sentry.flush(5000);
      expect(envelopes.join('\n')).toContain(fingerprint);
      expect(envelopes.join('\n')).toContain('archive store unreachable');
    } finally {
      server.close();
    }
  });
});

describe('METRICS_PORT server', () => {
  it('serves /metrics alone on its port, behind the token when one is set', async () => {
    const metrics = new Metrics();
    metrics.breakerState('smtp', 'half_open');
    const server = await startMetricsServer(metrics, '127.0.0.1', 0, 'tok');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer tok' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('carebook_circuit_breaker_state{breaker="smtp",state="half_open"} 1');
      expect(
        (await fetch(`${base}/api/v1/search`, { headers: { authorization: 'Bearer tok' } })).status,
      ).toBe(404);
      // A breaker that is read at scrape time rather than pushed.
      let state: 'closed' | 'open' = 'closed';
      metrics.sources.breakers = () => [{ name: 'search-cluster', state }];
      const scrape = async () =>
        (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer tok' } })).text();
      expect(await scrape()).toContain(
        'carebook_circuit_breaker_state{breaker="search-cluster",state="closed"} 1',
      );
      state = 'open';
      expect(await scrape()).toContain(
        'carebook_circuit_breaker_state{breaker="search-cluster",state="open"} 1',
      );
    } finally {
      server.close();
    }
  });
});
