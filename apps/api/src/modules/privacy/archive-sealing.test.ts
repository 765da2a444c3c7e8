import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { archivedRecord, dynamoTestArchive, startDynalite } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import type { DynamoDbBookingArchive } from '../../adapters/archive/dynamodb';
import { BlindIndex } from './blind-index';
import { DataKeysRepository } from './data-keys.repository';
import { Keyring } from './keyring';
import { sealLegacyPlaintext } from './legacy-sealing';
import { isSealed, PrivacyService } from './privacy.service';

describeEachDialect('privacy: legacy DynamoDB archive records sealed by rotate-keys (dynalite)', (ctx) => {
  let server: Awaited<ReturnType<typeof startDynalite>>;
  let archive: DynamoDbBookingArchive;
  beforeAll(async () => {
    server = await startDynalite();
    archive = await dynamoTestArchive(server.endpoint);
  });
  afterAll(async () => {
    await archive?.close();
    await server?.stop();
  });

  it('replaces every legacy record by a sealed copy, resumable; readers get the same text', async () => {
    const { inventory, bookings } = { inventory: ctx().dbs.inventory.db, bookings: ctx().dbs.bookings.db };
    const keyring = new Keyring([{ kid: 'kek-dynamo', key: randomBytes(32) }]);
    const privacy = new PrivacyService(new DataKeysRepository(inventory), keyring, new TestClock());
    await privacy.verifyKeyring();
    const tag = randomBytes(4).toString('hex');
    const records = Array.from({ length: 5 }, (_, i) =>
      archivedRecord({
        reason_for_visit: `Dynamo-reason${i}-${tag}`,
        payment_client_secret: `pi_${i}_secret_${tag}`,
        start_at: `2026-01-1${i}T09:00:00.000Z`,
      }),
    );
    // One record already sealed (archived after encryption): left as it is.
    const sealedAlready = archivedRecord({ start_at: '2026-01-20T09:00:00.000Z' });
    sealedAlready.booking.reason_for_visit = await privacy.encryptForPatient(
      sealedAlready.booking.patient_id,
      'already sealed',
    );
    sealedAlready.booking.payment_client_secret = null;
    sealedAlready.history = [];
    await archive.put([...records, sealedAlready]);
    const dump = async () => JSON.stringify(await archive.list({}, { order: 'asc', limit: 100 }));
    expect(await dump()).toContain(`Dynamo-reason0-${tag}`);

    const stop = new AbortController();
    const deps = { inventory, bookings, privacy, archive, phoneIndex: new BlindIndex(keyring, 'sms-phone') };
    const first = await sealLegacyPlaintext(deps, {
      batchSize: 2,
      signal: stop.signal,
      onBatch: (table) => {
        if (table === 'archive') stop.abort();
      },
    });
    expect(first.sealed).toBe(2);
    expect(await dump()).toContain(tag);
    const rest = await sealLegacyPlaintext(deps, { batchSize: 2 });
    expect(rest).toEqual({ sealed: 3, skipped: 0 });
    expect(await dump()).not.toContain(tag);
    expect(await dump()).not.toContain('Finished “early”');
    expect(await sealLegacyPlaintext(deps, { batchSize: 2 })).toEqual({ sealed: 0, skipped: 0 });

    for (const [i, r] of records.entries()) {
      const stored = await archive.get(r.booking.id);
      expect(stored?.booking.version).toBe(r.booking.version + 1);
      expect(isSealed(stored?.booking.reason_for_visit ?? '')).toBe(true);
      const p = r.booking.patient_id;
      expect(
        await privacy.revealMany([
          { patientId: p, value: stored?.booking.reason_for_visit ?? null },
          { patientId: p, value: stored?.booking.payment_client_secret ?? null },
          ...(stored?.history ?? []).map((h) => ({ patientId: p, value: h.reason })),
        ]),
      ).toEqual([`Dynamo-reason${i}-${tag}`, `pi_${i}_secret_${tag}`, ...r.history.map((h) => h.reason)]);
    }
    expect((await archive.get(sealedAlready.booking.id))?.booking.version).toBe(
      sealedAlready.booking.version,
    );
  });
});
