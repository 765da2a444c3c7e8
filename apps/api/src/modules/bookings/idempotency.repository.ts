import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, IdempotencyKeysTable } from '../../db/schema';
import { batchLoader } from '../../lib/batch-load';
import type { PrivacyService } from '../privacy/privacy.service';

type Db = Kysely<BookingDatabase>;
export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

// A user id never contains a NUL character, so the first one splits the pair.
const pairOf = (userId: string, key: string) => `${userId}\u0000${key}`;
const splitPair = (pair: string): [string, string] => {
  const at = pair.indexOf('\u0000');
  return [pair.slice(0, at), pair.slice(at + 1)];
};

/**
 * `idempotency_keys`: one row per (user, Idempotency-Key), bound to a request hash and a booking.
 * The stored response (the booking, with its reason for visit and payment client secret) is
 * sealed with the data key of the user who sent the request, the patient; read back opened. A
 * response whose key was destroyed (erasure) reads as absent, and the replay rebuilds it.
 */
export class IdempotencyRepository {
  /** Key reads outside a transaction made in the same turn of the event loop, as one statement. */
  private readonly byPair: (pair: string) => Promise<{ pair: string; row: IdempotencyRow } | undefined>;

  constructor(
    private readonly db: Db,
    private readonly privacy: Pick<PrivacyService, 'encryptForPatient' | 'sealerForPatient' | 'revealMany'>,
  ) {
    this.byPair = batchLoader(
      (pairs) => this.findMany(pairs),
      (found) => found.pair,
    );
  }

  async find(userId: string, key: string, db: Db = this.db): Promise<IdempotencyRow | undefined> {
    const row =
      db === this.db ? (await this.byPair(pairOf(userId, key)))?.row : await this.findOne(userId, key, db);
    if (!row?.response_body) return row;
    const [body] = await this.privacy.revealMany([{ patientId: userId, value: row.response_body }]);
    return { ...row, response_body: body ?? null };
  }

  private findOne(userId: string, key: string, db: Db = this.db): Promise<IdempotencyRow | undefined> {
    return db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
  }

  /**
   * The rows of many (user, key) pairs in one statement: an OR of primary-key equalities, so the
   * database compares as it does for one key (on MariaDB the column's collation ignores case). A
   * row equal to a pair is that pair's row (the key is unique under the collation). A pair with no
   * equal row is absent unless the statement returned another row of the same user, which the
   * collation may still match to it (`Key` and `key` asked in one batch): that pair is read alone.
   */
  private async findMany(pairs: string[]): Promise<{ pair: string; row: IdempotencyRow }[]> {
    const wanted = pairs.map(splitPair);
    const rows = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where((eb) =>
        eb.or(wanted.map(([userId, key]) => eb.and([eb('user_id', '=', userId), eb('idem_key', '=', key)]))),
      )
      .execute();
    const exact = new Map(rows.map((row) => [pairOf(row.user_id, row.idem_key), row]));
    return (
      await Promise.all(
        wanted.map(async ([userId, key]) => {
          const pair = pairOf(userId, key);
          const equal = exact.get(pair);
          if (equal) return { pair, row: equal };
          const sameUser = rows.some((r) => r.user_id.toLowerCase() === userId.toLowerCase());
          const alone = sameUser ? await this.findOne(userId, key) : undefined;
          return alone ? { pair, row: alone } : null;
        }),
      )
    ).filter((found) => found !== null);
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
