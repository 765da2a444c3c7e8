import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import type { BlindIndex } from './blind-index';
import { type PrivacyService, SYSTEM_KEY_OWNER } from './privacy.service';
import { type Batch, untilOnlySeen } from './sealing-batches';

export interface PhoneSealingDeps {
  inventory: Kysely<InventoryDatabase>;
  privacy: Pick<PrivacyService, 'encryptForPatient' | 'revealMany'>;
  /** The keyed hash of SMS numbers (purpose sms-phone). */
  phoneIndex: BlindIndex;
}

const updated = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1;

/**
 * The legacy-sealing steps for SMS numbers: plaintext numbers in `messaging_preferences`,
 * `sms_messages` and `dev_sms_inbox` are sealed with the patient's data key (a dev-inbox copy
 * under the key of the account its SMS was sent to, found by the provider id; the system key when
 * there is none), and keyed hashes made under an older key are made again under the current one
 * (so STOP/START keeps working once the old key is removed).
 */
export function phoneSealingSteps(d: PhoneSealingDeps, limit: number): [string, AsyncIterable<Batch>][] {
  return [
    ['messaging_preferences', untilOnlySeen(() => preferencesBatch(d, limit))],
    ['messaging_preferences (index)', untilOnlySeen(() => reindexBatch(d, limit))],
    ['sms_messages', untilOnlySeen(() => smsBatch(d, limit))],
    ['dev_sms_inbox', untilOnlySeen(() => devInboxBatch(d, limit))],
  ];
}

async function preferencesBatch(d: PhoneSealingDeps, limit: number): Promise<Batch> {
  const rows = await d.inventory
    .selectFrom('messaging_preferences')
    .select(['user_id', 'phone'])
    .where('phone', 'is not', null)
    .orderBy('user_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.user_id,
    update: async () => {
      const phone = row.phone as string;
      return updated(
        await d.inventory
          .updateTable('messaging_preferences')
          .set({
            phone: null,
            phone_sealed: await d.privacy.encryptForPatient(row.user_id, phone),
            phone_index: d.phoneIndex.of(phone),
          })
          .where('user_id', '=', row.user_id)
          .where('phone', '=', phone)
          .executeTakeFirst(),
      );
    },
  }));
}

async function reindexBatch(d: PhoneSealingDeps, limit: number): Promise<Batch> {
  const rows = await d.inventory
    .selectFrom('messaging_preferences')
    .select(['user_id', 'phone_sealed', 'phone_index'])
    .where('phone_sealed', 'is not', null)
    .where('phone_index', 'not like', `${d.phoneIndex.currentPrefix()}%`)
    .orderBy('user_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.user_id,
    update: async () => {
      const [phone] = await d.privacy.revealMany([{ patientId: row.user_id, value: row.phone_sealed }]);
      // The number's key was destroyed (erasure): nothing to find it by any more.
      const index = phone ? d.phoneIndex.of(phone) : null;
      return updated(
        await d.inventory
          .updateTable('messaging_preferences')
          .set({ phone_index: index })
          .where('user_id', '=', row.user_id)
          .where('phone_sealed', '=', row.phone_sealed as string)
          .where('phone_index', '=', row.phone_index as string)
          .executeTakeFirst(),
      );
    },
  }));
}

async function smsBatch(d: PhoneSealingDeps, limit: number): Promise<Batch> {
  const rows = await d.inventory
    .selectFrom('sms_messages')
    .select(['id', 'user_id', 'to_phone'])
    .where('to_phone', '!=', '')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.id,
    update: async () =>
      updated(
        await d.inventory
          .updateTable('sms_messages')
          .set({
            to_phone: '',
            to_phone_sealed: await d.privacy.encryptForPatient(row.user_id, row.to_phone),
          })
          .where('id', '=', row.id)
          .where('to_phone', '=', row.to_phone)
          .executeTakeFirst(),
      ),
  }));
}

async function devInboxBatch(d: PhoneSealingDeps, limit: number): Promise<Batch> {
  const rows = await d.inventory
    .selectFrom('dev_sms_inbox')
    .leftJoin('sms_messages', 'sms_messages.provider_id', 'dev_sms_inbox.sid')
    .select(['dev_sms_inbox.id', 'dev_sms_inbox.to_phone', 'sms_messages.user_id'])
    .where('dev_sms_inbox.to_phone', '!=', '')
    .orderBy('dev_sms_inbox.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.id,
    update: async () =>
      updated(
        await d.inventory
          .updateTable('dev_sms_inbox')
          .set({
            to_phone: '',
            to_phone_sealed: await d.privacy.encryptForPatient(row.user_id ?? SYSTEM_KEY_OWNER, row.to_phone),
            user_id: row.user_id,
          })
          .where('id', '=', row.id)
          .where('to_phone', '=', row.to_phone)
          .executeTakeFirst(),
      ),
  }));
}
