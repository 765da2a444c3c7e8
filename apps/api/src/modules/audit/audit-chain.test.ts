import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AuditChainReport } from '@carebook/contracts';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect, TestClock } from '../../../test/support/app';
import { bearer, register } from '../../../test/support/http';
import { type Cast, castOf } from '../../../test/support/providers';
import type { Config } from '../../config/config';
import { closeDatabases, openDatabases } from '../../db/open-databases';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { chainHash, checkLink, GENESIS_HASH } from './audit-chain';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../../../..');

describe('audit chain links', () => {
  it('hashes every field, so changing any one breaks the link', () => {
    const row = {
      seq: 1,
      id: 'a',
      at: '2026-12-06T10:00:00.000Z',
      actor_id: null,
      actor_role: null,
      action: 'x',
      target_type: null,
      target_id: null,
      patient_id: null,
      purpose: null,
      ip: '1.2.3.4',
      user_agent: null,
      request_id: 'r',
      details: '{}',
      prev_hash: GENESIS_HASH,
    };
    const hash = chainHash(row);
    expect(checkLink({ ...row, hash }, null)).toBeNull();
    for (const [field, value] of Object.entries({ ip: '1.2.3.5', details: '{"a":1}', purpose: 'care' }))
      expect(checkLink({ ...row, [field]: value, hash }, null)?.reason).toMatch(/altered/);
  });
});

describeAppEachDialect('tamper-evident access audit', (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });
  const admin = () => bearer(cast.admin.tokens.accessToken);
  const verify = async () => {
    const res = await t().app.inject({ url: '/api/v1/admin/audit/verify', headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuditChainReport;
  };

  it('shows a patient who looked at their data, and admins the same by name with a patient filter', async () => {
    const patient = await register(t().app, { displayName: 'Pat Ient' });
    const list = await t().app.inject({ url: '/api/v1/admin/users?pageSize=100', headers: admin() });
    expect(list.statusCode).toBe(200);
    const log = await t().app.inject({
      url: '/api/v1/me/access-log',
      headers: bearer(patient.tokens.accessToken),
    });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.headers['cache-control']).toBe('no-store');
    expect(log.json().items[0]).toMatchObject({
      actorName: cast.admin.user.displayName,
      actorRole: 'admin',
      action: 'access.users_listed',
      purpose: 'administration',
    });
    const filtered = await t().app.inject({
      url: `/api/v1/admin/audit-events?patientId=${patient.user.id}`,
      headers: admin(),
    });
    const items = filtered.json().items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.patientId === patient.user.id)).toBe(true);
    expect(items[0]).toMatchObject({ actorName: cast.admin.user.displayName, patientName: 'Pat Ient' });
    // Someone else's log does not show it.
    const other = await t().app.inject({
      url: '/api/v1/me/access-log',
      headers: bearer(cast.other.tokens.accessToken),
    });
    expect(
      (other.json().items as { action: string }[]).every((i) => i.action === 'access.users_listed'),
    ).toBe(true);
  });

  it('stays one line when two instances append at once', async () => {
    // MariaDB: a second connection pool, as another instance has. SQLite serves one process (the
    // embedded profile); a second handle in the same thread would only wait on itself.
    const second =
      t().db.dialect === 'mariadb'
        ? openDatabases({
            databases: {
              inventory: { url: t().db.url, poolSize: 5 },
              bookings: { url: t().db.url, poolSize: 5 },
            },
          } as Config)
        : {
            ...t().db.dbs,
            inventory: { ...t().db.dbs.inventory, close: async () => {} },
            bookings: { ...t().db.dbs.bookings, close: async () => {} },
          };
    try {
      const clock = new TestClock();
      const a = new AuditService(new AuditRepository(t().db.dbs.inventory.db), clock);
      const b = new AuditService(new AuditRepository(second.inventory.db), clock);
      const meta = { ip: '10.0.0.1', userAgent: null, requestId: 'concurrent' };
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).recordAccess(
            {
              action: 'access.user_viewed',
              actor: { userId: cast.admin.user.id, role: 'admin' },
              patientId: cast.patient.user.id,
              resource: { type: 'user', id: cast.patient.user.id },
              purpose: 'support',
              details: { i },
            },
            meta,
          ),
        ),
      );
    } finally {
      await closeDatabases(second);
    }
    const report = await verify();
    expect(report).toMatchObject({ ok: true, broken: null });
    expect(report.checked).toBe(report.head.seq);
  });

  it('names the first altered row, in the admin endpoint and in npm run audit:verify', async () => {
    const db = t().db.dbs.inventory.db;
    const { head } = await verify();
    const victim = await db
      .selectFrom('audit_events')
      .select(['seq', 'id', 'details'])
      .where('seq', '=', Math.max(1, head.seq - 5))
      .executeTakeFirstOrThrow();
    // What an attacker with database access does: lift the append-only trigger, edit a row.
    await sql.raw('DROP TRIGGER audit_events_no_update').execute(db);
    await sql`update audit_events set details = ${'{"covered":"up"}'} where id = ${victim.id}`.execute(db);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ seq: Number(victim.seq), id: victim.id });
    expect(report.broken?.reason).toMatch(/altered/);

    const env = {
      ...process.env,
      DATABASE_URL: t().db.url,
      LOG_LEVEL: 'silent',
      CAREBOOK_PROFILE: 'embedded',
    };
    const cli = await run('node', ['--import', 'tsx', 'tools/src/audit-verify.ts'], {
      cwd: repoRoot,
      env,
    }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain(`BROKEN at row #${victim.seq} (id ${victim.id})`);

    // Restored content verifies again; a deleted row is named as missing.
    await sql`update audit_events set details = ${victim.details} where id = ${victim.id}`.execute(db);
    expect((await verify()).ok).toBe(true);
    await sql.raw('DROP TRIGGER audit_events_no_delete').execute(db);
    await sql`delete from audit_events where id = ${victim.id}`.execute(db);
    const gone = await verify();
    expect(gone.broken?.seq).toBe(Number(victim.seq));
    expect(gone.broken?.reason).toMatch(/missing/);
  });
});
