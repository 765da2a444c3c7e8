import type { Migration } from 'kysely';
import { instant, type MigrationDb } from '../helpers';

/**
 * When a person's account was erased (GDPR Art. 17; modules/data-rights). The row stays,
 * pseudonymised, so the bookings a practice must keep still point at someone ("Former patient").
 */
export const userErasure: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('users').addColumn('erased_at', instant).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.alterTable('users').dropColumn('erased_at').execute();
  },
};
