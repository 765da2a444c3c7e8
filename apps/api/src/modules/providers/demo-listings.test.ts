import { ListingInput, Schedule, ServiceInput } from '@carebook/contracts';
import { generateProviders } from '@carebook/demo-data';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import { demoAccounts, seedDemoAccounts } from '../accounts/demo-accounts';
import { PasswordHasher } from '../auth/passwords';
import { computeSlots } from '../availability/domain';
import {
  DIRECTORY_EMAIL,
  rowsPerStatement,
  seedDemoListings,
  seedDemoListingsIfEmpty,
} from './demo-listings';
import { toListing } from './listing-mapper';

const SEED = 4242;
const COUNT = 150;
const NOW = new Date('2026-03-02T08:00:00.000Z');
const clock = { now: () => NOW };
const DAY = 86_400_000;

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
const listingKeys = Object.keys(ListingInput.properties) as (keyof ListingInput)[];
const serviceKeys = Object.keys(ServiceInput.properties) as (keyof ServiceInput)[];

describeEachDialect('demo listings', (ctx) => {
  const db = () => ctx().dbs.inventory.db;
  let providerId: string;

  beforeAll(async () => {
    await seedDemoAccounts(db(), new PasswordHasher(64), clock);
    const provider = demoAccounts.find((a) => a.role === 'provider');
    const row = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', provider?.email ?? '')
      .executeTakeFirst();
    providerId = row?.id ?? '';
    // Batches of 40 exercise several transactions and a short last one.
    const result = await seedDemoListings(db(), { count: COUNT, seed: SEED, clock, batchSize: 40 });
    expect(result).toEqual({ inserted: COUNT });
  });

  it('writes published listings owned by a non-login directory account, three by the demo provider', async () => {
    const directory = await db()
      .selectFrom('users')
      .selectAll()
      .where('email', '=', DIRECTORY_EMAIL)
      .executeTakeFirstOrThrow();
    expect(directory).toMatchObject({
      role: 'provider',
      verified: 1,
      status: 'active',
      password_hash: '!disabled',
    });
    expect(await new PasswordHasher(64).verify(directory.password_hash, '!disabled')).toBe(false);
    const rows = await db().selectFrom('providers').selectAll().execute();
    expect(rows).toHaveLength(COUNT);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'published', version: 1, photos: '[]', documents: '[]' });
      expect(row.published_at).toBe(NOW.toISOString());
    }
    const owners = new Map<string, number>();
    for (const row of rows) owners.set(row.owner_id, (owners.get(row.owner_id) ?? 0) + 1);
    expect(Object.fromEntries(owners)).toEqual({ [providerId]: 3, [directory.id]: COUNT - 3 });
  });

  it("stores every generated service, matching the generator's own output", async () => {
    const drafts = generateProviders({ count: COUNT, seed: SEED });
    const rows = await db().selectFrom('providers').select(['id', 'name']).orderBy('id').execute();
    expect(rows.map((r) => r.name)).toEqual(drafts.map((d) => d.name));
    const services = await db().selectFrom('provider_services').select(['provider_id', 'name']).execute();
    expect(services).toHaveLength(drafts.reduce((n, d) => n + d.services.length, 0));
    const perProvider = new Set(services.map((s) => s.provider_id));
    for (const row of rows) expect(perProvider.has(row.id), row.name).toBe(true);
  });

  it('is idempotent: a second run and the start-up seeding insert nothing', async () => {
    expect(await seedDemoListings(db(), { count: COUNT, seed: SEED, clock })).toEqual({ inserted: 0 });
    expect(await seedDemoListingsIfEmpty(db(), { count: 10, seed: 1, clock })).toEqual({ inserted: 0 });
    const n = await db()
      .selectFrom('providers')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(COUNT);
    const directories = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', DIRECTORY_EMAIL)
      .execute();
    expect(directories).toHaveLength(1);
  });

  it('reads back as listings the contracts accept, with bookable slots over the next 14 days', async () => {
    const rows = await db().selectFrom('providers').selectAll().execute();
    const services = await db().selectFrom('provider_services').selectAll().orderBy('id').execute();
    for (const row of rows) {
      const listing = toListing(
        row,
        services.filter((s) => s.provider_id === row.id),
        true,
      );
      const input = pick(listing, listingKeys);
      expect(
        [...Value.Errors(ListingInput, input)].map((e) => `${e.path} ${e.message}`),
        row.name,
      ).toEqual([]);
      expect(Value.Check(Schedule, listing.schedule), row.name).toBe(true);
      expect(listing.schedule.cancellationWindowHours).toBe(24);
      for (const s of listing.services)
        expect(Value.Check(ServiceInput, pick(s, serviceKeys)), s.name).toBe(true);
      const first = listing.services[0];
      if (!first) throw new Error(`${row.name} has no service`);
      const { cancellationWindowHours: _policy, ...schedule } = listing.schedule;
      const slots = computeSlots({
        schedule: { ...schedule, timeZone: listing.timeZone },
        service: first,
        busy: [],
        now: NOW.getTime(),
        from: NOW.getTime(),
        to: NOW.getTime() + 14 * DAY,
      });
      expect(slots.length, row.name).toBeGreaterThan(0);
    }
  });

  it('keeps every multi-row insert under the dialect placeholder limit', () => {
    const limit = ctx().dialect === 'sqlite' ? 32_766 : 65_535;
    for (const columns of [12, 27, 100, 40_000]) {
      const rows = rowsPerStatement(db(), columns);
      expect(rows).toBeGreaterThanOrEqual(1);
      if (columns <= limit) expect(rows * columns).toBeLessThanOrEqual(limit);
    }
    expect(rowsPerStatement(db(), 100)).toBe(ctx().dialect === 'sqlite' ? 327 : 655);
  });
});
