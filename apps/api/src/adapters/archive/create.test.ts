import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedRecord, startDynalite } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import { createArchive } from './create';
import { DynamoDbBookingArchive } from './dynamodb';
import { SqlBookingArchive } from './sql';

describeEachDialect('createArchive', (ctx) => {
  it('sql: the archive table in the booking database it is given', async () => {
    const archive = await createArchive({ kind: 'sql' }, ctx().dbs.bookings.db);
    expect(archive).toBeInstanceOf(SqlBookingArchive);
    const record = archivedRecord();
    await archive.put([record]);
    const row = await ctx()
      .dbs.bookings.db.selectFrom('archived_bookings')
      .select('id')
      .where('id', '=', record.booking.id)
      .executeTakeFirst();
    expect(row?.id).toBe(record.booking.id);
  });
});

describe('createArchive [dynamodb]', () => {
  let server: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    server = await startDynalite();
  });
  afterAll(() => server.stop());
  const credentials = { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' };

  it('creates the table when asked, and is then usable', async () => {
    const archive = await createArchive(
      {
        kind: 'dynamodb',
        table: 'carebook-archive',
        region: 'eu-west-1',
        endpoint: server.endpoint,
        credentials,
        createTable: true,
      },
      {} as never,
    );
    expect(archive).toBeInstanceOf(DynamoDbBookingArchive);
    const record = archivedRecord();
    await archive.put([record]);
    expect(await archive.get(record.booking.id)).toStrictEqual(record);
    // Asking again for an existing table is fine.
    const again = await createArchive(
      {
        kind: 'dynamodb',
        table: 'carebook-archive',
        region: 'eu-west-1',
        endpoint: server.endpoint,
        credentials,
        createTable: true,
      },
      {} as never,
    );
    expect(await again.count({})).toBe(1);
    await Promise.all([archive.close(), again.close()]);
  });

  it('refuses a missing table name, and fails loudly on a table that does not exist', async () => {
    await expect(
      createArchive(
        { kind: 'dynamodb', table: '', region: 'eu-west-1', endpoint: server.endpoint },
        {} as never,
      ),
    ).rejects.toThrow(/table name/);
    const archive = await createArchive(
      { kind: 'dynamodb', table: 'nowhere', region: 'eu-west-1', endpoint: server.endpoint, credentials },
      {} as never,
    );
    await expect(archive.get('x')).rejects.toThrow(/not found|ResourceNotFound|non-existent/i);
    await archive.close();
  });
});
