import type { Migration } from 'kysely';
import { instant, type MigrationDb } from '../helpers';

/**
 * `notifications.mail_claimed_until`: the lease of the handler sending the row's e-mail. Two
 * instances can handle the same event at once (both relays published its outbox row, or a
 * redelivery raced the first); the one that inserted the row holds the lease from the insert, the
 * other finds it held and leaves the mail alone, so a patient gets one e-mail. A lease that ran out
 * (its holder died mid-send) can be taken by the next delivery.
 */
export const notificationMailClaims: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('notifications').addColumn('mail_claimed_until', instant).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.alterTable('notifications').dropColumn('mail_claimed_until').execute();
  },
};
