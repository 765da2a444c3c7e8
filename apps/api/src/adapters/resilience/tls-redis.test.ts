import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCa, type TestCa, TlsRedis } from '../../../test/support/tls-servers';

/**
 * rediss:// against a redis-server of this test's own that speaks only TLS, with a CA made here.
 * The production cache (and every other Redis client: streams, rate limits) trusts the CA given
 * by NODE_EXTRA_CA_CERTS, so each case runs in its own process with its own environment.
 */
const FIXTURE = fileURLToPath(new URL('../../../test/support/tls-redis-client.ts', import.meta.url));

function runFixture(url: string, env: Record<string, string> = {}) {
  const { NODE_EXTRA_CA_CERTS: _drop, ...base } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, url], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${r.stdout}`.trim();
}

describe('Redis over TLS (rediss://)', () => {
  let dir: string;
  let ca: TestCa;
  let server: TlsRedis;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'carebook-redis-tls-'));
    ca = makeTestCa(join(dir, 'ca'));
    server = await TlsRedis.start(ca);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('works with the server certificate verified against the configured CA', () => {
    expect(runFixture(server.url, { NODE_EXTRA_CA_CERTS: ca.ca })).toBe('ok tls');
  });

  it('refuses the server when its CA is not trusted', () => {
    // Same URL and server as above; only the trusted CA is missing (ioredis reports the failed
    // handshake as a closed connection).
    expect(runFixture(server.url)).toMatch(/^error /);
  });

  it('cannot talk to the TLS port in plain text', () => {
    expect(runFixture(server.url.replace('rediss://', 'redis://'), { NODE_EXTRA_CA_CERTS: ca.ca })).toMatch(
      /^error/,
    );
  });
});
