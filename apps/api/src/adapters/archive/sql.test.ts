import { describeEachDialect } from '../../../test/support/databases';
import { archiveContract } from './archive.contract';
import { SqlBookingArchive } from './sql';

describeEachDialect('SqlBookingArchive', (ctx) => {
  archiveContract('sql', async () => {
    const db = ctx().dbs.bookings.db;
    await db.deleteFrom('archived_bookings').execute();
    return { archive: new SqlBookingArchive(db), dispose: async () => {} };
  });
});
