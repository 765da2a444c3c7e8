import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, IdempotencyKeysTable } from '../../db/schema';

type Db = Kysely<BookingDatabase>;
export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

/** `idempotency_keys`: one row per (user, Idempotency-Key), bound to a request hash and a booking. */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  find(userId: string, key: string, db: Db = this.db): Promise<IdempotencyRow | undefined> {
    return db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
  }

  /** Throws a unique violation when the key is taken (a concurrent first request). */
  async insert(row: IdempotencyRow, db: Db): Promise<void> {
    await db.insertInto('idempotency_keys').values(row).execute();
  }

  async recordResponse(userId: string, key: string, status: number, body: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ response_status: status, response_body: body })
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .execute();
  }

  /** Frees the key of a booking that was given up before anything was held (it may book again). */
  async releaseForBooking(bookingId: string, db: Db): Promise<void> {
    await db.deleteFrom('idempotency_keys').where('booking_id', '=', bookingId).execute();
  }
}
