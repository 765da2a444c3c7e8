import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config/config';
import type { Databases, Services } from '../../src/container';
import type { Clock } from '../../src/ports/clock';
import { describeEachDialect, type FreshDatabases } from './databases';

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-24T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(d: Date): void {
    this.current = new Date(d);
  }
}

export const TEST_JWT_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig(
    {
      LOG_LEVEL: 'silent',
      JWT_KEYS: TEST_JWT_KEYS,
      PASSWORD_HASH_MEMORY_KIB: '1024',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'carebook-data-')),
      WEB_DIST_DIR: join(tmpdir(), 'carebook-no-web-build'),
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    process.cwd(),
  );
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  config: Config;
}

export async function buildTestApp(dbs: Databases, env: Record<string, string> = {}): Promise<TestApp> {
  const clock = new TestClock();
  const config = testConfig(env);
  const { app, services } = await buildApp(config, { dbs, clock });
  // A route that fails like a bug would, to prove 500s leak nothing.
  app.get('/api/v1/__test__/explode', { schema: { hide: true } }, async () => {
    throw new Error('secret-internal detail: password=hunter2');
  });
  await app.ready();
  return { app, services, clock, config };
}

/** Runs a suite per dialect against a full app on a fresh database. */
export function describeAppEachDialect(
  title: string,
  body: (ctx: () => TestApp & { db: FreshDatabases }) => void,
  env: Record<string, string> = {},
): void {
  describeEachDialect(title, (db) => {
    let built: TestApp | undefined;
    beforeAll(async () => {
      built = await buildTestApp(db().dbs, env);
    });
    afterAll(async () => {
      await built?.app.close();
    });
    body(() => {
      if (!built) throw new Error('app not built');
      return { ...built, db: db() };
    });
  });
}
