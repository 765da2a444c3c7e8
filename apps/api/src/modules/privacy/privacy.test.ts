import { randomBytes } from 'node:crypto';
import type { Booking } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type TestApp, TestClock, testConfig } from '../../../test/support/app';
import { at, book, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect } from '../../../test/support/databases';
import { bearer, register } from '../../../test/support/http';
import { buildApp } from '../../app';
import { newId } from '../../lib/ids';
import { DecryptionError, openBinary, sealBinary, sealText, textKid } from './aead';
import { DataKeysRepository } from './data-keys.repository';
import { rotateDataKeys } from './key-rotation';
import { Keyring, KeyringError } from './keyring';
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

  it('revealMany: legacy plaintext passes, a shredded key reads null (also after a new key), tampering throws', async () => {
    const privacy = service([k1]);
    const dave = newId();
    const sealed = await privacy.encryptForPatient(dave, 'Depression');
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(privacy.revealMany([{ patientId: dave, value: tampered }])).rejects.toThrow(DecryptionError);
    expect(
      await privacy.revealMany([
        { patientId: dave, value: sealed },
        { patientId: dave, value: 'legacy text' },
        { patientId: dave, value: null },
      ]),
    ).toEqual(['Depression', 'legacy text', null]);
    await privacy.destroyPatientKey(dave);
    expect(await service([k1]).revealMany([{ patientId: dave, value: sealed }])).toEqual([null]);
    await privacy.encryptForPatient(dave, 'after erasure'); // something made a new key meanwhile
    expect(await service([k1]).revealMany([{ patientId: dave, value: sealed }])).toEqual([null]);
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
