import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * A provider's invitations of staff by e-mail (modules/accounts/staff): single-use link tokens
 * stored as SHA-256, with an expiry, and the account that accepted (or the revocation).
 */
export const staffInvitations: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('staff_invitations')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('provider_id', uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('email', 'varchar(254)', (c) => c.notNull())
        .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('accepted_at', instant)
        .addColumn('accepted_user_id', uuid)
        .addColumn('revoked_at', instant),
    ).execute();
    await db.schema
      .createIndex('staff_invitations_provider')
      .on('staff_invitations')
      .columns(['provider_id', 'created_at'])
      .execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('staff_invitations').execute();
  },
};
