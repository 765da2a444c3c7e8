import { describe, expect, it, vi } from 'vitest';
import { TestClock } from '../../test/support/app';
import { describeEachDialect } from '../../test/support/databases';
import { LeasedJob, LeaseStore, runLeased } from './lease';

const MINUTE = 60_000;

describeEachDialect('job leases', (ctx) => {
  const setup = () => {
    const clock = new TestClock();
    const store = new LeaseStore(ctx().dbs.bookings.db, clock);
    return { clock, store };
  };
  let n = 0;
  const fresh = () => `job-${++n}`;

  it('one holder at a time; renewal by the holder; takeover only after expiry', async () => {
    const { clock, store } = setup();
    const name = fresh();
    expect(await store.acquire(name, 'a', MINUTE)).toBe(true);
    expect(await store.acquire(name, 'b', MINUTE)).toBe(false);
    clock.advance(MINUTE - 1);
    expect(await store.acquire(name, 'b', MINUTE)).toBe(false);
    expect(await store.renew(name, 'a', MINUTE)).toBe(true);
    clock.advance(MINUTE - 1);
    expect(await store.acquire(name, 'b', MINUTE)).toBe(false);
    expect(await store.acquire(name, 'a', MINUTE)).toBe(true);
    expect((await store.current(name))?.generation).toBe(1);
    clock.advance(MINUTE);
    expect(await store.acquire(name, 'b', MINUTE)).toBe(true);
    expect(await store.current(name)).toMatchObject({ holder: 'b', generation: 2 });
    expect(await store.renew(name, 'a', MINUTE)).toBe(false);
    expect(await store.acquire(name, 'a', MINUTE)).toBe(false);
  });

  it('release frees the lease at once, but only for its holder', async () => {
    const { store } = setup();
    const name = fresh();
    await store.acquire(name, 'a', MINUTE);
    await store.release(name, 'b');
    expect(await store.acquire(name, 'b', MINUTE)).toBe(false);
    await store.release(name, 'a');
    expect(await store.acquire(name, 'b', MINUTE)).toBe(true);
  });

  it('twenty instances racing for a free or expired lease: exactly one wins each time', async () => {
    const { clock, store } = setup();
    const name = fresh();
    for (let round = 0; round < 3; round++) {
      const won = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.acquire(name, `r${round}-${i}`, MINUTE)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      clock.advance(MINUTE);
    }
  });

  it('two schedulers on one database: only one runs; kill it and the other takes over after expiry', async () => {
    const { clock, store } = setup();
    const name = fresh();
    const ran: string[] = [];
    const job = (holder: string) =>
      new LeasedJob({ store, holder, name, intervalMs: 10_000, leaseMs: 30_000 }, async () => {
        ran.push(holder);
      });
    const a = job('a');
    const b = job('b');
    for (let i = 0; i < 5; i++) {
      const outcomes = await Promise.all([a.tick(), b.tick()]);
      expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
      clock.advance(10_000);
    }
    const first = ran[0];
    expect(ran).toEqual(Array(5).fill(first)); // the holder keeps its lease from tick to tick
    const [dead, survivor] = first === 'a' ? [a, b] : [b, a];
    dead.halt(); // crashed: the lease is not released
    ran.length = 0;
    expect(await survivor.tick()).toBe('not-holder');
    clock.advance(19_999); // 30 s after the dead holder's last renewal, less 1 ms
    expect(await survivor.tick()).toBe('not-holder');
    clock.advance(1);
    expect(await survivor.tick()).toBe('ran');
    expect(await dead.tick()).toBe('stopped');
    expect(ran).toEqual([first === 'a' ? 'b' : 'a']);
  });

  it('runLeased on two instances: the timer runs the work on the holder only, the other after a stop', async () => {
    const { store } = setup();
    const name = fresh();
    const counts = { a: 0, b: 0 };
    const start = (holder: 'a' | 'b') =>
      runLeased({ store, holder }, name, 20, async () => {
        counts[holder]++;
      });
    const a = start('a');
    const b = start('b');
    try {
      await vi.waitFor(() => expect(counts.a + counts.b).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
      expect(Math.min(counts.a, counts.b)).toBe(0); // the test clock never lets the lease expire
      const [holder, other] = counts.a > 0 ? [a, 'b' as const] : [b, 'a' as const];
      await holder.stop();
      await vi.waitFor(() => expect(counts[other]).toBeGreaterThan(0), { timeout: 10_000 });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('a graceful stop releases the lease, so the other scheduler takes over on its next tick', async () => {
    const { store } = setup();
    const name = fresh();
    const a = new LeasedJob({ store, holder: 'a', name, intervalMs: 1000 }, async () => {});
    const b = new LeasedJob({ store, holder: 'b', name, intervalMs: 1000 }, async () => {});
    expect(await a.tick()).toBe('ran');
    expect(await b.tick()).toBe('not-holder');
    await a.stop();
    expect(await b.tick()).toBe('ran');
  });

  it('a tick while the work is still running does not start it twice; a failing run is retried', async () => {
    const { store } = setup();
    let release!: () => void;
    let calls = 0;
    const job = new LeasedJob({ store, holder: 'a', name: fresh(), intervalMs: 1000 }, async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      if (calls === 2) throw new Error('boom');
    });
    const first = job.tick();
    await expect.poll(() => calls).toBe(1);
    expect(await job.tick()).toBe('busy');
    release();
    expect(await first).toBe('ran');
    expect(await job.tick()).toBe('failed');
    expect(await job.tick()).toBe('ran');
  });

  it('the work is told when its lease was taken over while it ran', async () => {
    const { store } = setup();
    const name = fresh();
    let seen: AbortSignal | undefined;
    let finish!: () => void;
    const job = new LeasedJob({ store, holder: 'a', name, intervalMs: 1000, leaseMs: 60 }, async (signal) => {
      seen = signal;
      await new Promise<void>((r) => (finish = r));
    });
    const running = job.tick();
    await expect.poll(() => seen).toBeDefined();
    expect(seen?.aborted).toBe(false);
    // Another instance took it over (as after an expiry); the next heartbeat renewal finds out.
    await ctx()
      .dbs.bookings.db.updateTable('job_leases')
      .set({ holder: 'b' })
      .where('name', '=', name)
      .execute();
    await expect.poll(() => seen?.aborted, { timeout: 5000 }).toBe(true);
    finish();
    expect(await running).toBe('ran');
  });
});

describe('LeasedJob options', () => {
  it('defaults the lease to three intervals, at least 15 s', () => {
    const store = {} as LeaseStore;
    expect(new LeasedJob({ store, holder: 'h', name: 'n', intervalMs: 1000 }, async () => {}).leaseMs).toBe(
      15_000,
    );
    expect(new LeasedJob({ store, holder: 'h', name: 'n', intervalMs: 30_000 }, async () => {}).leaseMs).toBe(
      90_000,
    );
  });
});
