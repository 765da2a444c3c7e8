/// <reference path="../../../apps/api/test/provided-context.d.ts" />
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Booking, Listing } from '@carebook/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabases, openDatabases } from '../../../apps/api/src/db/open-databases';
import { ACTIVE_STATUSES } from '../../../apps/api/src/modules/bookings/domain/status';
import { buildTestApp, type TestApp, testConfig } from '../../../apps/api/test/support/app';
import { at, book, type Practice, pay, practice, WED_0900_NY } from '../../../apps/api/test/support/bookings';
import { describeEachDialect, freshDatabases } from '../../../apps/api/test/support/databases';
import { bearer } from '../../../apps/api/test/support/http';
import { solidImage } from '../../../apps/api/test/support/media';
import { sha256 } from './manifest';
import { runBackup, runRestore } from './run';

/**
 * The restore drill: seed, book, back up, destroy everything, restore into a fresh database and
 * an empty blob store, then check what users would: every booking reads back the same through
 * the API, the photo's bytes are intact, row counts match the manifest, and no two active
 * bookings of a provider overlap. A damaged backup is refused before anything is touched.
 */
/** The deployment's key-encryption key: kept apart from the backup, and the same after a restore. */
const KEYS = { ENCRYPTION_KEYS: `drill-kek:${Buffer.alloc(32, 9).toString('base64')}` };

describeEachDialect('restore drill', (db) => {
  let t: TestApp;
  let p: Practice;
  let work: string;
  let backupDir: string;
  const before = new Map<string, Booking>();
  const photoKeys: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carebook-drill-'));
    t = await buildTestApp(db().dbs, { ...KEYS, BLOB_DIR: join(work, 'blobs') });
    p = await practice({ ...t, db: db() });
    const owner = bearer(p.cast.owner.tokens.accessToken);
    const form = new FormData();
    const png = await solidImage('png', 320, 200);
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${p.listing.id}/photos`,
      headers: { ...owner, 'if-match': `"${p.listing.version}"` },
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    const photo = (up.json() as { photo: Listing['photos'][number] }).photo;
    photoKeys.push(...Object.values(photo.variants).flatMap((v) => [v.webp, v.jpeg]));

    const patient = p.cast.patient.tokens.accessToken;
    const free = [0, 60, 120].map((m) => ({
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, m),
    }));
    const ids: string[] = [];
    for (const body of free) {
      const res = await book(t.app, patient, body);
      expect(res.statusCode, res.body).toBe(201);
      ids.push((res.json() as Booking).id);
    }
    const paid = await book(t.app, patient, {
      providerId: p.listing.id,
      serviceId: p.paid,
      start: at(WED_0900_NY, 180),
    });
    expect(paid.statusCode, paid.body).toBe(201);
    ids.push((paid.json() as Booking).id);
    expect((await pay(t.app, paid.json() as Booking)).statusCode).toBeLessThan(300);
    const cancelled = await book(t.app, patient, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 240),
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${(cancelled.json() as Booking).id}/cancel`,
      headers: bearer(patient),
      payload: { reason: 'changed plans' },
    });
    ids.push((cancelled.json() as Booking).id);
    for (const id of ids) {
      const one = await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: bearer(patient) });
      expect(one.statusCode, one.body).toBe(200);
      before.set(id, one.json() as Booking);
    }
    expect(before.size).toBe(5);

    const { dir } = await runBackup(
      testConfig({ ...KEYS, DATABASE_URL: db().url, BLOB_DIR: join(work, 'blobs') }),
      join(work, 'backups'),
    );
    backupDir = dir;
    // Destroy: the app, the database and the blob store are gone.
    await t.app.close();
    await db().drop();
    await rm(join(work, 'blobs'), { recursive: true, force: true });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a damaged backup before touching anything', async () => {
    const damaged = join(work, 'damaged');
    await cp(backupDir, damaged, { recursive: true });
    const manifest = JSON.parse(await readFile(join(damaged, 'manifest.json'), 'utf8'));
    const blobPath = join(damaged, manifest.blobs[0].path);
    const bytes = await readFile(blobPath);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(blobPath, bytes);
    const fresh = await freshDatabases(db().dialect, false);
    await closeDatabases(fresh.dbs);
    await expect(
      runRestore(testConfig({ ...KEYS, DATABASE_URL: fresh.url, BLOB_DIR: join(work, 'never') }), damaged),
    ).rejects.toThrow(/checksum mismatch/);
    await fresh.drop().catch(() => undefined);
  });

  it('restores into a fresh database: same bookings, intact photo, counts match, no overlap', async () => {
    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.blobs.map((b: { key: string }) => b.key).sort()).toEqual([...photoKeys].sort());
    if (db().dialect === 'mariadb') expect(manifest.databases[0]).toHaveProperty('binlog');

    const fresh = await freshDatabases(db().dialect, false);
    await closeDatabases(fresh.dbs);
    const blobDir = join(work, 'restored-blobs');
    const config = testConfig({ ...KEYS, DATABASE_URL: fresh.url, BLOB_DIR: blobDir });
    const report = await runRestore(config, backupDir);
    expect(report.restored).toContain('inventory');
    expect(report.rowCounts.inventory?.providers).toBe(1);
    expect(report.blobs).toBe(photoKeys.length);

    const dbs = openDatabases(config);
    const restored = await buildTestApp(dbs, { ...KEYS, BLOB_DIR: blobDir });
    try {
      const patient = p.cast.patient.tokens.accessToken;
      for (const [id, was] of before) {
        const res = await restored.app.inject({ url: `/api/v1/bookings/${id}`, headers: bearer(patient) });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual(was);
      }
      for (const key of photoKeys) {
        const blob = await restored.services.blobStore.get(key);
        const original = manifest.blobs.find((b: { key: string }) => b.key === key);
        expect(blob && sha256(blob.body)).toBe(original.sha256);
      }
      const active = await dbs.bookings.db
        .selectFrom('bookings')
        .select(['provider_id', 'block_start_at', 'block_end_at'])
        .where('status', 'in', [...ACTIVE_STATUSES])
        .orderBy('provider_id')
        .orderBy('block_start_at')
        .execute();
      expect(active.length).toBe(4);
      for (let i = 1; i < active.length; i++) {
        const [prev, cur] = [active[i - 1], active[i]];
        if (prev?.provider_id === cur?.provider_id)
          expect((cur?.block_start_at ?? '') >= (prev?.block_end_at ?? '')).toBe(true);
      }
    } finally {
      await restored.app.close();
      await closeDatabases(dbs);
      await fresh.drop().catch(() => undefined);
    }
  });
});
