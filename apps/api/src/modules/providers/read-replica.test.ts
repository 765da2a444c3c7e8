import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { practice } from '../../../test/support/bookings';
import { type FreshDatabases, freshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { bearer } from '../../../test/support/http';

/**
 * READ_DATABASE_URL routing. The "replica" here is a second, empty schema, so where each read
 * went is visible: public listing pages come from the replica, everything a user must see right
 * after writing it (their own listings, a listing by id, which the cache serves) from the primary.
 */
describe.skipIf(!mariadbAvailable())('read replica routing [mariadb]', () => {
  let primary: FreshDatabases;
  let replica: FreshDatabases;
  let t: TestApp;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([freshDatabases('mariadb'), freshDatabases('mariadb')]);
    t = await buildTestApp({ ...primary.dbs, inventoryRead: replica.dbs.inventory });
  });
  afterAll(async () => {
    await t?.app.close();
    await Promise.all([primary?.drop(), replica?.drop()]);
  });

  it('sends public listing pages to the replica and read-your-writes to the primary', async () => {
    const { cast, listing } = await practice({ ...t, db: primary });
    const h = bearer(cast.owner.tokens.accessToken);
    // The replica has not "caught up" (it never will here): the public page does not show it yet.
    const publicPage = await t.app.inject({ url: '/api/v1/providers' });
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.json().total).toBe(0);
    // The owner's own list and the listing itself come from the primary.
    const mine = await t.app.inject({ url: '/api/v1/providers?scope=mine', headers: h });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([listing.id]);
    expect((await t.app.inject({ url: `/api/v1/providers/${listing.id}` })).statusCode).toBe(200);
    await replica.dbs.inventory.db.destroy();
    const fallback = await t.app.inject({ url: '/api/v1/providers' });
    expect(fallback.statusCode, fallback.body).toBe(200);
    expect(fallback.json().total).toBe(1); // the replica is gone: the primary answers instead
  });
});
