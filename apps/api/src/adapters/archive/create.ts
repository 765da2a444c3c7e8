import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import type { BookingArchive } from '../../ports/archive';
import { type DynamoDbArchiveOptions, DynamoDbBookingArchive } from './dynamodb';
import { SqlBookingArchive } from './sql';

export type ArchiveOptions =
  /** The `archived_bookings` table in the booking database (the embedded default). */
  | { kind: 'sql' }
  /** A DynamoDB table; `createTable` creates it (and its indexes) when missing, for dev and tests. */
  | ({ kind: 'dynamodb'; createTable?: boolean } & DynamoDbArchiveOptions);

/** Builds the configured archive; the SQL one lives in the booking database it is given. */
export async function createArchive(
  options: ArchiveOptions,
  bookingDb: Kysely<BookingDatabase>,
): Promise<BookingArchive> {
  if (options.kind === 'sql') return new SqlBookingArchive(bookingDb);
  const { kind: _kind, createTable, ...dynamo } = options;
  if (!dynamo.table) throw new Error('The DynamoDB archive needs a table name');
  const archive = new DynamoDbBookingArchive(dynamo);
  if (createTable) await archive.ensureTable();
  return archive;
}
