import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { seedBooking } from '../../../test/support/archival';
import { archivedRecord } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import { DevSmsInbox } from '../../adapters/sms/dev-inbox';
import { newId } from '../../lib/ids';
import { MessagingRepository } from '../messaging/messaging.repository';
import { textKid } from './aead';
import { BlindIndex } from './blind-index';
import { DataKeysRepository } from './data-keys.repository';
import { Keyring } from './keyring';
import { sealLegacyPlaintext } from './legacy-sealing';
import { PrivacyService } from './privacy.service';

const kek = (kid: string) => ({ kid, key: randomBytes(32) });

describeEachDialect('privacy: legacy plaintext sealed by rotate-keys', (ctx) => {
  it('seals every legacy PHI value in batches, resumable; readers get the same text before and after', async () => {
    const { inventory, bookings } = { inventory: ctx().dbs.inventory.db, bookings: ctx().dbs.bookings.db };
    const keyring = new Keyring([kek('kek-legacy')]);
    const privacy = new PrivacyService(new DataKeysRepository(inventory), keyring, new TestClock());
    const phoneIndex = new BlindIndex(keyring, 'sms-phone');
    await privacy.verifyKeyring();
    const tag = randomBytes(4).toString('hex');
    const marker = (what: string) => `Legacy-${what}-${tag}`;
    const digits = String(Number.parseInt(tag, 16) % 1_000_000).padStart(6, '0');
    const phone = (i: number) => `+1555${digits}${i}`;
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
      // SMS reminders: the number in clear in preferences, the SMS sent and its dev-inbox copy.
      const sid = `SMlegacy${newId()}`;
      await inventory
        .insertInto('messaging_preferences')
        .values({
          user_id: row.patient_id,
          phone: phone(i),
          phone_sealed: null,
          phone_index: null,
          reminder_channels: 'sms',
          sms_consent_at: now.toISOString(),
          sms_consent_text: 'yes',
          sms_opted_out_at: null,
          updated_at: now.toISOString(),
        })
        .execute();
      await inventory
        .insertInto('sms_messages')
        .values({
          id: newId(),
          user_id: row.patient_id,
          booking_id: row.id,
          to_phone: phone(i),
          to_phone_sealed: null,
          body: 'Reminder',
          provider_id: sid,
          status: 'delivered',
          error: null,
          fallback_email_subject: 'Reminder',
          fallback_email_text: 'Reminder',
          fallback_emailed_at: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      await inventory
        .insertInto('dev_sms_inbox')
        .values({
          id: newId(),
          sid,
          to_phone: phone(i),
          to_phone_sealed: null,
          user_id: null,
          body: 'Reminder',
          created_at: now.toISOString(),
        })
        .execute();
      rows.push(row);
    }
    // A number sealed already, but its keyed hash made under a key no longer current.
    const rekeyed = rows[0]?.patient_id as string;
    await inventory
      .updateTable('messaging_preferences')
      .set({
        phone: null,
        phone_sealed: await privacy.encryptForPatient(rekeyed, phone(0)),
        phone_index: 'h1.kek-retired.stale',
      })
      .where('user_id', '=', rekeyed)
      .execute();
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
        await inventory.selectFrom('messaging_preferences').selectAll().execute(),
        await inventory.selectFrom('sms_messages').selectAll().execute(),
        await inventory.selectFrom('dev_sms_inbox').selectAll().execute(),
      ]);
    expect(await dump()).toContain(marker('reason0'));
    expect(await dump()).toContain(phone(1));

    // Interrupted after the first batch, then run again to the end.
    const stop = new AbortController();
    const deps = { inventory, bookings, privacy, phoneIndex };
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
    expect(await dump()).not.toContain(`+1555${digits}`);
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
    // The numbers open to what they were; STOP from a number finds its account by the new index.
    const messaging = new MessagingRepository(inventory, { privacy, phoneIndex });
    for (const [i, row] of rows.entries()) {
      expect((await messaging.preferences(row.patient_id))?.phone).toBe(phone(i));
      expect((await messaging.smsOfBooking(row.id)).map((m) => m.to_phone)).toEqual([phone(i)]);
      expect(await messaging.setOptedOut(phone(i), now.toISOString())).toBe(1);
    }
    const inbox = await new DevSmsInbox(inventory, privacy).list(1, 100);
    expect(inbox.items.map((m) => m.to).sort()).toEqual([phone(0), phone(1), phone(2)]);
    const archived = await archive.get(legacyArchived.booking.id);
    expect(textKid(archived?.booking.reason_for_visit ?? '')).not.toBeNull();
    expect(
      await privacy.revealMany([
        { patientId: legacyArchived.booking.patient_id, value: archived?.booking.reason_for_visit ?? null },
      ]),
    ).toEqual([marker('archived')]);
  });
});
