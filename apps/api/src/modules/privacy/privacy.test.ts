import { randomBytes } from 'node:crypto';
import type { Booking } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type TestApp, TestClock, testConfig } from '../../../test/support/app';
import { seedBooking } from '../../../test/support/archival';
import { archivedRecord } from '../../../test/support/archive';
import { at, book, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect } from '../../../test/support/databases';
import { bearer, register } from '../../../test/support/http';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import { buildApp } from '../../app';
import { newId } from '../../lib/ids';
import { DecryptionError, openBinary, sealBinary, sealText, textKid } from './aead';
import { DataKeysRepository } from './data-keys.repository';
import { rotateDataKeys } from './key-rotation';
import { Keyring, KeyringError } from './keyring';
import { sealLegacyPlaintext } from './legacy-sealing';
import { PrivacyService } from './privacy.service';

const kek = (kid: string) => ({ kid, key: randomBytes(32) });

describe('aead envelopes', () => {
  it('names its key, authenticates, and refuses a wrong key instead of returning garbage', () => {
    const key = randomBytes(32);
    const sealed = sealText('k1', key, Buffer.from('chest pain since Monday'));
    expect(sealed).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(textKid(sealed)).toBe('k1');
    expect(sealed).not.toContain('chest');
    const bin = sealBinary('k1', key, Buffer.from('%PDF-1.7 licence'));
    expect(openBinary(bin, () => key).toString()).toBe('%PDF-1.7 licence');
    expect(() => openBinary(bin, () => randomBytes(32))).toThrow(DecryptionError);
    const tampered = Buffer.from(bin);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => openBinary(tampered, () => key)).toThrow(DecryptionError);
  });
});

describeEachDialect('privacy: per-patient envelope encryption', (ctx) => {
  const clock = new TestClock();
  const service = (keys: { kid: string; key: Buffer }[]) =>
    new PrivacyService(new DataKeysRepository(ctx().dbs.inventory.db), new Keyring(keys), clock);
  const k1 = kek('kek-one');

  it('seals per patient; another patient’s key cannot open it; the raw table holds no plaintext', async () => {
    const privacy = service([k1]);
    await privacy.verifyKeyring();
    const alice = newId();
    const bob = newId();
    const sealed = await privacy.encryptForPatient(alice, 'Reason: recurring migraine');
    expect(await privacy.decryptForPatient(alice, sealed)).toBe('Reason: recurring migraine');
    await privacy.encryptForPatient(bob, 'x');
    await expect(privacy.decryptForPatient(bob, sealed)).rejects.toThrow(DecryptionError);
    const rows = await ctx().dbs.inventory.db.selectFrom('patient_data_keys').selectAll().execute();
    const alicesRow = rows.find((r) => r.user_id === alice);
    expect(alicesRow?.kek_id).toBe('kek-one');
    expect(textKid(sealed)).toBe(alicesRow?.key_id);
    // A fresh instance (no cache) reads the same key back from the database.
    expect(await service([k1]).decryptForPatient(alice, sealed)).toBe('Reason: recurring migraine');
  });

  it('batch helpers keep nulls and order, across patients', async () => {
    const privacy = service([k1]);
    const [a, b] = [newId(), newId()];
    const sa = await privacy.encryptManyForPatient(a, ['one', null, 'two']);
    const sb = await privacy.encryptManyForPatient(b, ['three']);
    const opened = await service([k1]).decryptMany([
      { patientId: a, value: sa[0] ?? null },
      { patientId: a, value: sa[1] ?? null },
      { patientId: b, value: sb[0] ?? null },
      { patientId: a, value: sa[2] ?? null },
    ]);
    expect(opened).toEqual(['one', null, 'three', 'two']);
    expect(await privacy.decryptSystem(await privacy.encryptSystem('provider secret'))).toBe(
      'provider secret',
    );
  });

  it('destroying a patient’s data key makes their data unreadable (crypto-shredding)', async () => {
    const privacy = service([k1]);
    const carol = newId();
    const sealed = await privacy.encryptForPatient(carol, 'HIV status');
    expect(await privacy.destroyPatientKey(carol)).toBe(true);
    await expect(privacy.decryptForPatient(carol, sealed)).rejects.toThrow(/destroyed/);
    await expect(service([k1]).decryptForPatient(carol, sealed)).rejects.toThrow(DecryptionError);
  });

  it('start-up refuses a wrong key under a known id, and a keyring missing a key in use', async () => {
    await expect(service([{ kid: 'kek-one', key: randomBytes(32) }]).verifyKeyring()).rejects.toThrow(
      /key "kek-one" is not the key this database knows/,
    );
    await expect(service([kek('kek-other')]).verifyKeyring()).rejects.toThrow(
      /ENCRYPTION_KEYS is missing "kek-one"/,
    );
    await expect(service([kek('kek-other')]).verifyKeyring()).rejects.toThrow(KeyringError);
  });

  it('rotate-keys: re-wraps in batches while new keys are made; everything stays readable; the old key can go', async () => {
    const db = ctx().dbs.inventory.db;
    const before = service([k1]);
    const patients = Array.from({ length: 23 }, () => newId());
    const sealed = new Map<string, string>();
    for (const p of patients) sealed.set(p, await before.encryptForPatient(p, `note for ${p}`));

    const k2 = kek('kek-two');
    const both = new Keyring([k2, k1]);
    const during = new PrivacyService(new DataKeysRepository(db), both, clock);
    await during.verifyKeyring();
    // Interrupted after the first batch: resumable from the database.
    const stop = new AbortController();
    const first = await rotateDataKeys(
      { repo: new DataKeysRepository(db), keyring: both, clock },
      { batchSize: 5, signal: stop.signal, onBatch: () => stop.abort() },
    );
    expect(first.rewrapped).toBe(5);
    expect(first.remaining).toBeGreaterThan(0);

    // Rotation and new patients at the same time; readers keep working throughout.
    const newcomers = Array.from({ length: 8 }, () => newId());
    const [done] = await Promise.all([
      rotateDataKeys({ repo: new DataKeysRepository(db), keyring: both, clock }, { batchSize: 4 }),
      (async () => {
        for (const p of newcomers) {
          sealed.set(p, await during.encryptForPatient(p, `note for ${p}`));
          const old = patients[newcomers.indexOf(p)] as string;
          expect(await during.decryptForPatient(old, sealed.get(old) as string)).toBe(`note for ${old}`);
        }
      })(),
    ]);
    expect(done.remaining).toBe(0);
    const stillOld = await db
      .selectFrom('patient_data_keys')
      .select(sql<number>`count(*)`.as('n'))
      .where('kek_id', '=', 'kek-one')
      .executeTakeFirstOrThrow();
    expect(Number(stillOld.n)).toBe(0);

    // The old KEK removed: start-up passes, every value still opens.
    const after = service([k2]);
    await after.verifyKeyring();
    for (const [p, value] of sealed) expect(await after.decryptForPatient(p, value)).toBe(`note for ${p}`);
  });
});

describeEachDialect('privacy: legacy plaintext sealed by rotate-keys', (ctx) => {
  it('seals every legacy PHI value in batches, resumable; readers get the same text before and after', async () => {
    const { inventory, bookings } = { inventory: ctx().dbs.inventory.db, bookings: ctx().dbs.bookings.db };
    const privacy = new PrivacyService(
      new DataKeysRepository(inventory),
      new Keyring([kek('kek-legacy')]),
      new TestClock(),
    );
    await privacy.verifyKeyring();
    const tag = randomBytes(4).toString('hex');
    const marker = (what: string) => `Legacy-${what}-${tag}`;
    const now = new Date('2026-11-24T12:00:00.000Z');
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const row = await seedBooking(bookings, now, { status: 'completed', endedDaysAgo: 2 + i });
      await bookings
        .updateTable('bookings')
        .set({ reason_for_visit: marker(`reason${i}`), payment_client_secret: marker(`secret${i}`) })
        .where('id', '=', row.id)
        .execute();
      await bookings
        .updateTable('booking_history')
        .set({ reason: marker(`history${i}`) })
        .where('booking_id', '=', row.id)
        .execute();
      await bookings
        .updateTable('idempotency_keys')
        .set({ response_status: 201, response_body: JSON.stringify({ reasonForVisit: marker(`idem${i}`) }) })
        .where('booking_id', '=', row.id)
        .execute();
      await inventory
        .insertInto('users')
        .values({
          id: row.patient_id,
          email: `${row.patient_id}@example.test`,
          password_hash: 'x',
          display_name: 'Legacy patient',
          role: 'patient',
          status: 'active',
          verified: 1,
          provider_id: null,
          suspended_reason: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      await inventory
        .insertInto('notifications')
        .values({
          id: newId(),
          user_id: row.patient_id,
          booking_id: row.id,
          kind: 'cancelled',
          title: marker(`title${i}`),
          body: marker(`body${i}`),
          patient_id: null,
          created_at: now.toISOString(),
          read_at: null,
          emailed_at: null,
          dedupe_key: `legacy-${row.id}`,
        })
        .execute();
      await bookings
        .insertInto('bookings_outbox')
        .values({
          id: newId(),
          aggregate_type: 'booking',
          aggregate_id: row.id,
          event_type: 'booking.status_changed',
          payload: JSON.stringify({
            bookingId: row.id,
            patientId: row.patient_id,
            reason: marker(`outbox${i}`),
          }),
          occurred_at: now.toISOString(),
          published_at: null,
          attempts: 0,
          last_error: null,
        })
        .execute();
      rows.push(row);
    }
    const archive = new SqlBookingArchive(bookings);
    const legacyArchived = archivedRecord({ reason_for_visit: marker('archived') });
    await archive.put([legacyArchived]);

    const dump = async () =>
      JSON.stringify([
        await bookings.selectFrom('bookings').selectAll().execute(),
        await bookings.selectFrom('booking_history').selectAll().execute(),
        await bookings.selectFrom('idempotency_keys').selectAll().execute(),
        await bookings.selectFrom('bookings_outbox').selectAll().execute(),
        await bookings.selectFrom('archived_bookings').selectAll().execute(),
        await inventory.selectFrom('notifications').selectAll().execute(),
      ]);
    expect(await dump()).toContain(marker('reason0'));

    // Interrupted after the first batch, then run again to the end.
    const stop = new AbortController();
    const deps = { inventory, bookings, privacy };
    const first = await sealLegacyPlaintext(deps, {
      batchSize: 2,
      signal: stop.signal,
      onBatch: () => stop.abort(),
    });
    expect(first.sealed).toBe(2);
    expect(await dump()).toContain(tag);
    const rest = await sealLegacyPlaintext(deps, { batchSize: 2 });
    expect(rest.sealed).toBeGreaterThan(0);
    expect(await dump()).not.toContain(tag);
    expect((await sealLegacyPlaintext(deps, { batchSize: 2 })).sealed).toBe(0);

    // Every value opens to what it was.
    for (const [i, row] of rows.entries()) {
      const stored = await bookings
        .selectFrom('bookings')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      const history = await bookings
        .selectFrom('booking_history')
        .select('reason')
        .where('booking_id', '=', row.id)
        .execute();
      const idem = await bookings
        .selectFrom('idempotency_keys')
        .select(['user_id', 'response_body'])
        .where('booking_id', '=', row.id)
        .executeTakeFirstOrThrow();
      const note = await inventory
        .selectFrom('notifications')
        .selectAll()
        .where('booking_id', '=', row.id)
        .executeTakeFirstOrThrow();
      const event = await bookings
        .selectFrom('bookings_outbox')
        .select('payload')
        .where('aggregate_id', '=', row.id)
        .executeTakeFirstOrThrow();
      const opened = await privacy.revealMany([
        { patientId: row.patient_id, value: stored.reason_for_visit },
        { patientId: row.patient_id, value: stored.payment_client_secret },
        ...history.map((h) => ({ patientId: row.patient_id, value: h.reason })),
        { patientId: idem.user_id, value: idem.response_body },
        { patientId: note.user_id, value: note.title },
        { patientId: note.user_id, value: note.body },
        { patientId: row.patient_id, value: JSON.parse(event.payload).reason },
      ]);
      expect(opened).toEqual([
        marker(`reason${i}`),
        marker(`secret${i}`),
        ...history.map(() => marker(`history${i}`)),
        JSON.stringify({ reasonForVisit: marker(`idem${i}`) }),
        marker(`title${i}`),
        marker(`body${i}`),
        marker(`outbox${i}`),
      ]);
    }
    const archived = await archive.get(legacyArchived.booking.id);
    expect(textKid(archived?.booking.reason_for_visit ?? '')).not.toBeNull();
    expect(
      await privacy.revealMany([
        { patientId: legacyArchived.booking.patient_id, value: archived?.booking.reason_for_visit ?? null },
      ]),
    ).toEqual([marker('archived')]);
  });
});

describeEachDialect('privacy: rotation while bookings are created (whole app)', (ctx) => {
  it('rotates under load; every booking stays readable; the old KEK is removable afterwards', async () => {
    const old = kek('kek-live-one');
    const next = kek('kek-live-two');
    const keys = (...ks: { kid: string; key: Buffer }[]) =>
      ks.map((k) => `${k.kid}:${k.key.toString('base64')}`).join(',');
    const clock = new TestClock();
    const started: TestApp[] = [];
    const start = async (encryptionKeys: string) => {
      const config = testConfig({ ENCRYPTION_KEYS: encryptionKeys });
      const { app, services } = await buildApp(config, { dbs: ctx().dbs, clock });
      await app.ready();
      const t = { app, services, clock, config };
      started.push(t);
      return t;
    };
    try {
      const a = await start(keys(old));
      const p = await practice({ ...a, db: ctx() });
      const patient = p.cast.patient.tokens.accessToken;
      const reasons = new Map<string, string>();
      const bookOne = async (app: FastifyInstance, token: string, minutes: number) => {
        const reasonForVisit = `Rotation-${minutes}-${randomBytes(3).toString('hex')}`;
        const res = await book(app, token, {
          providerId: p.listing.id,
          serviceId: p.free,
          start: at(WED_0900_NY, minutes),
          reasonForVisit,
        });
        expect(res.statusCode, res.body).toBe(201);
        reasons.set(res.json().id, reasonForVisit);
      };
      for (const m of [0, 15, 30]) await bookOne(a.app, patient, m);

      // Every instance learns the new key (second), then it becomes current (first); then rotate
      // while patients, old and new, keep booking on the new instance.
      const b = await start(keys(next, old));
      const newcomers = await Promise.all([register(b.app), register(b.app)]);
      const [rotated] = await Promise.all([
        rotateDataKeys(
          { repo: new DataKeysRepository(ctx().dbs.inventory.db), keyring: new Keyring([next, old]), clock },
          { batchSize: 1 },
        ),
        (async () => {
          await bookOne(b.app, patient, 45);
          await bookOne(b.app, newcomers[0]?.tokens.accessToken ?? '', 60);
          await bookOne(b.app, newcomers[1]?.tokens.accessToken ?? '', 75);
          await bookOne(a.app, patient, 90);
        })(),
      ]);
      const finish = await rotateDataKeys({
        repo: new DataKeysRepository(ctx().dbs.inventory.db),
        keyring: new Keyring([next, old]),
        clock,
      });
      expect(rotated.rewrapped + finish.rewrapped).toBeGreaterThan(0);
      expect(finish.remaining).toBe(0);

      // The old key removed: start-up passes and every booking reads back in full.
      const c = await start(keys(next));
      expect(reasons.size).toBe(7);
      for (const [id, reason] of reasons)
        expect((await c.services.bookings.read(id)).reasonForVisit).toBe(reason);
      const list = await c.app.inject({ url: '/api/v1/bookings?pageSize=100', headers: bearer(patient) });
      expect(list.statusCode, list.body).toBe(200);
      for (const item of list.json().items as Booking[])
        expect(item.reasonForVisit).toBe(reasons.get(item.id));
    } finally {
      for (const t of started.reverse()) await t.app.close();
    }
  });
});
