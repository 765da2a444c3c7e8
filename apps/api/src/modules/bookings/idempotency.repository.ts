import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, IdempotencyKeysTable } from '../../db/schema';
import type { PrivacyService } from '../privacy/privacy.service';

type Db = Kysely<BookingDatabase>;
export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

/**
 * `idempotency_keys`: one row per (user, Idempotency-Key), bound to a request hash and a booking.
 * The stored response (the booking, with its reason for visit and payment client secret) is
 * sealed with the data key of the user who sent the request, the patient; read back opened. A
 * response whose key was destroyed (erasure) reads as absent, and the replay rebuilds it.
 */
export class IdempotencyRepository {
  constructor(
    private readonly db: Db,
    private readonly privacy: Pick<PrivacyService, 'encryptForPatient' | 'sealerForPatient' | 'revealMany'>,
  ) {}

  async find(userId: string, key: string, db: Db = this.db): Promise<IdempotencyRow | undefined> {
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
    if (!row?.response_body) return row;
    const [body] = await this.privacy.revealMany([{ patientId: userId, value: row.response_body }]);
    return { ...row, response_body: body ?? null };
  }

  /**
   * Throws a unique violation when the key is taken (a concurrent first request). A row written
   * with its answer already (`response_body` from `seal`) needs no `recordResponse`.
   */
  async insert(row: IdempotencyRow, db: Db): Promise<void> {
    await db.insertInto('idempotency_keys').values(row).execute();
  }

  /** A response body as stored: sealed with the data key of the user who sent the request. */
  seal(userId: string, body: string): Promise<string> {
    return this.privacy.encryptForPatient(userId, body);
  }

  /** `seal` for one user, synchronous once made: for an answer sealed inside its transaction. */
  sealer(userId: string): Promise<(body: string) => string> {
    return this.privacy.sealerForPatient(userId);
  }

  async recordResponse(userId: string, key: string, status: number, body: string): Promise<void> {
    const sealed = await this.seal(userId, body);
    await this.db
      .updateTable('idempotency_keys')
      .set({ response_status: status, response_body: sealed })
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .execute();
  }

  /** Frees the key of a booking that was given up before anything was held (it may book again). */
  async releaseForBooking(bookingId: string, db: Db): Promise<void> {
    await db.deleteFrom('idempotency_keys').where('booking_id', '=', bookingId).execute();
  }
}
