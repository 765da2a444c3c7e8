import { type Migration, sql } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * E-mail verification and password reset (modules/accounts): `users.email_verified_at` (accounts
 * that existed before verification are taken as verified at their creation), and single-use
 * account tokens stored as SHA-256 only, with an expiry and a used mark.
 */
export const accountTokens: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('users').addColumn('email_verified_at', instant).execute();
    await sql`UPDATE users SET email_verified_at = created_at`.execute(db);
    await tableOptions(
      db,
      db.schema
        .createTable('account_tokens')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('user_id', uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
        .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('used_at', instant),
    ).execute();
    await db.schema
      .createIndex('account_tokens_user_purpose')
      .on('account_tokens')
      .columns(['user_id', 'purpose'])
      .execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('account_tokens').execute();
    await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  },
};
