import type { Migration } from 'kysely';
import { isMysql, type MigrationDb } from '../helpers';

/**
 * Room for sealed values (`v1.<keyId>.<iv>.<tag>.<ciphertext>`, about 4/3 of the plaintext plus
 * ~60 characters): a history reason (up to 500 characters typed) and the payment client secret
 * are now stored sealed with the patient's data key. SQLite does not enforce these lengths.
 */
export const sealedBookingFields: Migration = {
  async up(db: MigrationDb) {
    if (!isMysql(db)) return;
    await db.schema.alterTable('booking_history').modifyColumn('reason', 'text').execute();
    await db.schema.alterTable('bookings').modifyColumn('payment_client_secret', 'varchar(1000)').execute();
  },
  async down(db: MigrationDb) {
    if (!isMysql(db)) return;
    await db.schema.alterTable('bookings').modifyColumn('payment_client_secret', 'varchar(200)').execute();
    await db.schema.alterTable('booking_history').modifyColumn('reason', 'varchar(500)').execute();
  },
};
