import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { redisTestUrl } from '../../../test/support/redis';
import { type RedisBusHarness, redisBusHarness } from '../../../test/support/redis-streams';
import { eventBusContract, pause, relayPublish, testEvent } from './event-bus.contract';

const url = await redisTestUrl();
const WAIT = { timeout: 20_000, interval: 25 };

describe.skipIf(!url)('RedisStreamsEventBus', () => {
  eventBusContract('redis-streams', () => redisBusHarness(url));

  describe('on a shared Redis', () => {
    let h: RedisBusHarness;
    beforeEach(async () => {
      h = await redisBusHarness(url);
    });
    afterEach(() => h.dispose());

    const groupsOf = async (partition: number) =>
      ((await h.admin.call('XINFO', 'GROUPS', `${h.prefix}p:${partition}`)) as unknown[][]).map((g) =>
        String(g[g.indexOf('name') + 1]),
      );
    const leaseHolders = async (group: string) =>
      Promise.all([0, 1, 2, 3].map((p) => h.admin.get(`${h.prefix}lease:${group}:${p}`)));

    it("splits a 'once' group's partitions between instances and hands them over on close", async () => {
      const a = h.instance();
      const b = h.instance();
      const seen = { a: [] as string[], b: [] as string[] };
      a.subscribe('mailer', 'once', async (e) => void seen.a.push(e.id));
      b.subscribe('mailer', 'once', async (e) => void seen.b.push(e.id));
      await a.start();
      await b.start();
      await vi.waitFor(async () => {
        const holders = await leaseHolders('mailer');
        expect(holders.filter((x) => x === a.instanceId)).toHaveLength(2);
        expect(holders.filter((x) => x === b.instanceId)).toHaveLength(2);
      }, WAIT);
      const events = Array.from({ length: 40 }, (_, i) => testEvent(`agg${i}`, 0));
      await a.publish(events);
      await vi.waitFor(() => expect(seen.a.length + seen.b.length).toBe(40), WAIT);
      expect(seen.a.length).toBeGreaterThan(0);
      expect(seen.b.length).toBeGreaterThan(0);
      expect(new Set([...seen.a, ...seen.b]).size).toBe(40);
      await a.close();
      await vi.waitFor(
        async () => expect(await leaseHolders('mailer')).toEqual(Array(4).fill(b.instanceId)),
        WAIT,
      );
      await b.publish(events.map((e) => ({ ...e, id: `${e.id}-again` })));
      await vi.waitFor(() => expect(seen.b.filter((id) => id.endsWith('-again'))).toHaveLength(40), WAIT);
      expect(seen.a).toHaveLength(40 - seen.b.filter((id) => !id.endsWith('-again')).length);
    });

    it("a 'once' consumer resumes after a restart where its name left off; broadcast starts afresh", async () => {
      const first = h.instance();
      const seen = { once: [] as string[], hub: [] as string[] };
      first.subscribe('mailer', 'once', async (e) => void seen.once.push(e.id));
      first.subscribe('hub', 'broadcast', async (e) => void seen.hub.push(e.id));
      await first.start();
      await first.publish([testEvent('m', 0)]);
      await vi.waitFor(() => expect(seen).toEqual({ once: ['m-0'], hub: ['m-0'] }), WAIT);
      await first.close();
      const publisher = h.instance();
      await publisher.publish([testEvent('m', 1)]); // while no instance runs
      const next = h.instance();
      next.subscribe('mailer', 'once', async (e) => void seen.once.push(e.id));
      next.subscribe('hub', 'broadcast', async (e) => void seen.hub.push(e.id));
      await next.start();
      await publisher.publish([testEvent('m', 2)]);
      await vi.waitFor(() => expect(seen.once).toEqual(['m-0', 'm-1', 'm-2']), WAIT);
      await vi.waitFor(() => expect(seen.hub).toEqual(['m-0', 'm-2']), WAIT);
    });

    it('a slow aggregate does not hold back aggregates read after it', async () => {
      const bus = h.instance();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      const done: string[] = [];
      bus.subscribe('mailer', 'once', async (e) => {
        started.push(e.id);
        if (e.id === 'slow-0') await gate;
        done.push(e.id);
      });
      await bus.start();
      await bus.publish([testEvent('slow', 0)]);
      await vi.waitFor(() => expect(started).toEqual(['slow-0']), WAIT);
      await bus.publish([testEvent('slow', 1), testEvent('quick', 0)]);
      await bus.publish([testEvent('quick', 1)]);
      await vi.waitFor(() => expect(done).toEqual(['quick-0', 'quick-1']), WAIT);
      expect(started).not.toContain('slow-1');
      release();
      await vi.waitFor(() => expect(done).toEqual(['quick-0', 'quick-1', 'slow-0', 'slow-1']), WAIT);
    });

    it('a failing event holds back only its own aggregate', async () => {
      const bus = h.instance();
      let healthy = false;
      const attempts: string[] = [];
      const done: string[] = [];
      bus.subscribe('mailer', 'once', async (e) => {
        attempts.push(e.id);
        if (e.aggregateId === 'a' && !healthy) throw new Error('smtp down');
        done.push(e.id);
      });
      await bus.start();
      await bus.publish([testEvent('a', 0), testEvent('b', 0)]);
      await bus.publish([testEvent('a', 1), testEvent('b', 1)]);
      await vi.waitFor(() => expect(done).toEqual(['b-0', 'b-1']), WAIT);
      await vi.waitFor(
        () => expect(attempts.filter((id) => id === 'a-0').length).toBeGreaterThanOrEqual(3),
        WAIT,
      );
      expect(attempts).not.toContain('a-1');
      expect(bus.health()).toEqual({ ok: true });
      healthy = true;
      await vi.waitFor(() => expect(done).toEqual(['b-0', 'b-1', 'a-0', 'a-1']), WAIT);
    });

    it("a crashed instance's pending events are claimed by a live one, in order; its groups expire", async () => {
      const crashed = `crashing-${randomBytes(4).toString('hex')}`;
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('../../../test/support/crashing-consumer.ts', import.meta.url)),
        ],
        {
          env: { ...process.env, BUS_URL: url, BUS_PREFIX: h.prefix, BUS_INSTANCE: crashed },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      try {
        await vi.waitFor(() => expect(out).toContain('ready'), WAIT);
        const publisher = h.instance();
        await publisher.publish([testEvent('c', 0)]);
        await vi.waitFor(() => expect(out).toContain('got c-0'), WAIT);
        expect(await groupsOf(0)).toContain(`hub@${crashed}`);
      } finally {
        child.kill('SIGKILL');
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }
      await h.instance().publish([testEvent('c', 1)]);
      const live = h.instance();
      const seen: string[] = [];
      live.subscribe('mailer', 'once', async (e) => void seen.push(e.id));
      live.subscribe('hub', 'broadcast', async () => {});
      await live.start();
      await vi.waitFor(() => expect(seen).toEqual(['c-0', 'c-1']), WAIT);
      // The crashed instance's broadcast group goes once it has been silent for instanceTtlMs.
      await vi.waitFor(async () => {
        for (const p of [0, 1, 2, 3]) expect(await groupsOf(p)).not.toContain(`hub@${crashed}`);
      }, WAIT);
      expect(await groupsOf(0)).toContain(`hub@${live.instanceId}`);
    });

    it('removes its broadcast groups and leases on close, and keeps every key under its prefix', async () => {
      const bus = h.instance();
      bus.subscribe('hub', 'broadcast', async () => {});
      bus.subscribe('mailer', 'once', async () => {});
      await bus.start();
      await bus.publish([testEvent('k', 0)]);
      expect(await groupsOf(1)).toEqual(expect.arrayContaining(['mailer', `hub@${bus.instanceId}`]));
      await bus.close();
      for (const p of [0, 1, 2, 3]) expect(await groupsOf(p)).toEqual(['mailer']);
      expect(await leaseHolders('mailer')).toEqual([null, null, null, null]);
      for (const key of await h.keys()) expect(key.startsWith(h.prefix)).toBe(true);
    });

    it('trims each partition stream to about maxLen', async () => {
      const bus = h.instance({ maxLen: 100 });
      const events = Array.from({ length: 1000 }, (_, i) => testEvent('one', i));
      for (let i = 0; i < events.length; i += 100) await bus.publish(events.slice(i, i + 100));
      const lengths = await Promise.all([0, 1, 2, 3].map((p) => h.admin.xlen(`${h.prefix}p:${p}`)));
      expect(lengths.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(100);
      expect(Math.max(...lengths)).toBeLessThan(400);
    });

    it('drops (and logs) a pending entry trimmed away before it could be handled, then goes on', async () => {
      const errors: string[] = [];
      const log = {
        warn: () => {},
        error: (obj: object, msg: string) => void errors.push(`${msg} ${JSON.stringify(obj)}`),
      };
      const bus = h.instance({ partitions: 1, maxLen: 50, log });
      let down = true;
      let failures = 0;
      const done: string[] = [];
      bus.subscribe('mailer', 'once', async (e) => {
        if (e.aggregateId === 'x' && down && ++failures) throw new Error('down');
        done.push(e.id);
      });
      await bus.start();
      await bus.publish([testEvent('x', 0)]);
      await vi.waitFor(() => expect(failures).toBeGreaterThan(0), WAIT); // x-0 is pending now
      const filler = Array.from({ length: 600 }, (_, i) => testEvent(`f${i}`, 0));
      for (let i = 0; i < filler.length; i += 100) await bus.publish(filler.slice(i, i + 100));
      await vi.waitFor(() => expect(done.length).toBeGreaterThan(0), WAIT);
      expect(await h.admin.xlen(`${h.prefix}p:0`)).toBeLessThan(601);
      down = false;
      await vi.waitFor(() => expect(errors.join()).toContain('trimmed from the stream'), WAIT);
      expect(done).not.toContain('x-0');
      await bus.publish([testEvent('x', 1)]);
      await vi.waitFor(() => expect(done).toContain('x-1'), WAIT);
    });

    it('refuses to start with a partition count other than the stream was made with', async () => {
      await h.instance().start();
      await expect(h.instance({ partitions: 2 }).start()).rejects.toThrow(
        /4 partitions .* configured with 2/,
      );
    });

    it('survives Redis going away: health says so, it reconnects, and unacknowledged work comes back', async () => {
      const proxy = await tcpProxy(new URL(url));
      const bus = h.instance({ url: `redis://127.0.0.1:${proxy.port}` });
      const publisher = h.instance();
      const seen: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      bus.subscribe('hub', 'broadcast', async (e) => {
        seen.push(e.id);
        if (e.id === 'r-1') await gate;
      });
      await bus.start();
      await publisher.publish([testEvent('r', 0), testEvent('r', 1)]);
      await vi.waitFor(() => expect(seen).toEqual(['r-0', 'r-1']), WAIT);
      proxy.cut();
      release(); // r-1's handler finishes while Redis is unreachable: its acknowledgement is lost.
      await vi.waitFor(() => expect(bus.health().ok).toBe(false), WAIT);
      await expect(bus.publish([testEvent('r', 9)])).rejects.toThrow();
      await publisher.publish([testEvent('r', 2)]);
      await pause(300);
      await proxy.restore();
      await vi.waitFor(() => expect(seen).toEqual(['r-0', 'r-1', 'r-1', 'r-2']), WAIT);
      await vi.waitFor(() => expect(bus.health()).toEqual({ ok: true }), WAIT);
      await relayPublish(bus, [testEvent('r', 3)]);
      await vi.waitFor(() => expect(seen.at(-1)).toBe('r-3'), WAIT);
      await bus.close();
      await proxy.close();
    });

    it('a hung Redis fails publishing in bounded time and shows in health; work resumes when it answers', async () => {
      const proxy = await tcpProxy(new URL(url));
      const bus = h.instance({ url: `redis://127.0.0.1:${proxy.port}` });
      const publisher = h.instance();
      const seen: string[] = [];
      bus.subscribe('hub', 'broadcast', async (e) => void seen.push(e.id));
      await bus.start();
      await publisher.publish([testEvent('z', 0)]);
      await vi.waitFor(() => expect(seen).toEqual(['z-0']), WAIT);
      proxy.freeze();
      await expect(bus.publish([testEvent('z', 9)])).rejects.toThrow(/timed out/i);
      await vi.waitFor(() => expect(bus.health().ok).toBe(false), WAIT);
      await publisher.publish([testEvent('z', 1)]);
      proxy.thaw();
      await vi.waitFor(() => expect(seen).toContain('z-1'), WAIT);
      await vi.waitFor(() => expect(bus.health()).toEqual({ ok: true }), WAIT);
      await relayPublish(bus, [testEvent('z', 2)]);
      await vi.waitFor(() => expect(seen.at(-1)).toBe('z-2'), WAIT);
      await bus.close();
      await proxy.close();
    });
  });
});

/** A TCP relay to Redis that a test can cut and restore: an outage of one instance's Redis. */
async function tcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      server.close();
      for (const s of sockets) s.destroy();
    },
    async restore() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    /** Redis stops answering (connections stay open): a hung server. */
    freeze() {
      for (const s of sockets) s.pause();
    },
    thaw() {
      for (const s of sockets) s.resume();
    },
    async close() {
      this.cut();
    },
  };
}
