import { type Migration, sql } from 'kysely';
import { chainHash, GENESIS_HASH } from '../../../modules/audit/audit-chain';
import { isMysql, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * The audit trail becomes a hash chain: every row gets a sequence number and the hash of the row
 * before it (modules/audit/audit-chain.ts), plus the patient whose data was touched and the
 * purpose. `audit_chain_head` (one row) holds the last sequence number and hash; appends lock it,
 * so the chain stays linear with any number of instances. Rows already present are chained here
 * in (at, id) order.
 */
export const auditChain: Migration = {
  async up(db: MigrationDb) {
    const mysql = isMysql(db);
    await db.schema.alterTable('audit_events').addColumn('seq', 'bigint').execute();
    await db.schema.alterTable('audit_events').addColumn('prev_hash', 'char(64)').execute();
    await db.schema.alterTable('audit_events').addColumn('hash', 'char(64)').execute();
    await db.schema.alterTable('audit_events').addColumn('patient_id', uuid).execute();
    await db.schema.alterTable('audit_events').addColumn('purpose', 'varchar(40)').execute();
    await db.schema.createIndex('audit_seq').on('audit_events').column('seq').unique().execute();
    await db.schema
      .createIndex('audit_patient_at')
      .on('audit_events')
      .columns(['patient_id', 'at'])
      .execute();
    await tableOptions(
      db,
      db.schema
        .createTable('audit_chain_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'char(64)', (c) => c.notNull()),
    ).execute();

    // Chain what is there (the update trigger keeps the table append-only; lift it meanwhile).
    await sql.raw('DROP TRIGGER audit_events_no_update').execute(db);
    type Row = {
      id: string;
      at: string;
      actor_id: string | null;
      actor_role: string | null;
      action: string;
      target_type: string | null;
      target_id: string | null;
      ip: string | null;
      user_agent: string | null;
      request_id: string | null;
      details: string;
    };
    const rows = (
      await sql<Row>`select id, at, actor_id, actor_role, action, target_type, target_id, ip, user_agent, request_id, details from audit_events order by at, id`.execute(
        db,
      )
    ).rows;
    let prev = GENESIS_HASH;
    let seq = 0;
    for (const row of rows) {
      seq++;
      const hash = chainHash({ ...row, seq, patient_id: null, purpose: null, prev_hash: prev });
      await sql`update audit_events set seq = ${seq}, prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(
        db,
      );
      prev = hash;
    }
    await sql`insert into audit_chain_head (id, seq, hash) values (1, ${seq}, ${prev})`.execute(db);
    await sql
      .raw(
        mysql
          ? `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only'`
          : `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
      )
      .execute(db);
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('audit_chain_head').execute();
    for (const index of ['audit_patient_at', 'audit_seq']) {
      const drop = db.schema.dropIndex(index);
      await (isMysql(db) ? drop.on('audit_events') : drop).execute();
    }
    for (const column of ['purpose', 'patient_id', 'hash', 'prev_hash', 'seq'])
      await db.schema.alterTable('audit_events').dropColumn(column).execute();
  },
};
