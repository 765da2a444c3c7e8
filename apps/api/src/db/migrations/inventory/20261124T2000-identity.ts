import { type Migration, sql } from 'kysely';
import { instant, isMysql, type MigrationDb, tableOptions, uuid } from '../helpers';

/** Accounts, sessions with rotating refresh tokens, and the append-only audit trail. */
export const identity: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('users')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('display_name', 'varchar(120)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('provider_id', uuid, (c) => c.references('users.id'))
        .addColumn('suspended_reason', 'varchar(500)')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('users_role_created').on('users').columns(['role', 'created_at']).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('sessions')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('user_id', uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('last_used_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('revoked_at', instant)
        .addColumn('revoked_reason', 'varchar(64)')
        .addColumn('ip', 'varchar(64)')
        .addColumn('user_agent', 'varchar(512)'),
    ).execute();
    await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('refresh_tokens')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('session_id', uuid, (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('used_at', instant),
    ).execute();
    await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').column('session_id').execute();

    await tableOptions(
      db,
      db.schema
        .createTable('audit_events')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor_id', uuid)
        .addColumn('actor_role', 'varchar(16)')
        .addColumn('action', 'varchar(80)', (c) => c.notNull())
        .addColumn('target_type', 'varchar(40)')
        .addColumn('target_id', 'varchar(254)')
        .addColumn('ip', 'varchar(64)')
        .addColumn('user_agent', 'varchar(512)')
        .addColumn('request_id', 'varchar(128)')
        .addColumn('details', 'text', (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('audit_at').on('audit_events').column('at').execute();
    await db.schema
      .createIndex('audit_action_target_at')
      .on('audit_events')
      .columns(['action', 'target_id', 'at'])
      .execute();
    await db.schema
      .createIndex('audit_action_ip_at')
      .on('audit_events')
      .columns(['action', 'ip', 'at'])
      .execute();
    await db.schema.createIndex('audit_actor_at').on('audit_events').columns(['actor_id', 'at']).execute();

    // Append-only, enforced by the database as well as by the code (no update/delete path exists).
    if (isMysql(db)) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql
          .raw(
            `CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events FOR EACH ROW ` +
              `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only'`,
          )
          .execute(db);
      }
    } else {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql
          .raw(
            `CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events ` +
              `BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
          )
          .execute(db);
      }
    }
  },
  async down(db: MigrationDb) {
    for (const table of ['audit_events', 'refresh_tokens', 'sessions', 'users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
