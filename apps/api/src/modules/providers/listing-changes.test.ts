import type { Listing } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  type Cast,
  castOf,
  listingInput,
  listingRequests,
  serviceInput,
} from '../../../test/support/providers';
import { ListingChanges } from './listing-changes';
import { ListingServices } from './listing-services';
import { ProvidersService } from './providers.service';

describeAppEachDialect('listing changes', (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });
  const { create, get, publishable, publish } = listingRequests(t, () => cast);

  describe('transactions and events', () => {
    it('writes every change’s event to the outbox and relays it in order', async () => {
      const ready = await publishable();
      await publish(ready);
      await t().services.relay.drain();
      const rows = await t()
        .db.dbs.inventory.db.selectFrom('inventory_outbox')
        .select(['event_type', 'published_at', 'payload'])
        .where('aggregate_id', '=', ready.id)
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.event_type)).toEqual([
        'provider.listing.created',
        'provider.availability.changed',
        'provider.availability.changed',
        'provider.listing.published',
      ]);
      expect(rows.every((r) => r.published_at !== null)).toBe(true);
      expect(JSON.parse(rows[3]?.payload ?? '{}')).toMatchObject({
        providerId: ready.id,
        status: 'published',
        version: 4,
      });
    });

    it('commits a change, its services and its event together or not at all', async () => {
      const listing = await create();
      const changes = new ListingChanges({
        db: t().db.dbs.inventory.db,
        repo: t().services.providersRepo,
        clock: t().clock,
        listener: { listingChanged: async () => {} },
        appendEvent: async () => {
          throw new Error('outbox unavailable');
        },
      });
      const failing = {
        providers: new ProvidersService({
          repo: t().services.providersRepo,
          accounts: t().services.users,
          changes,
          audit: t().services.audit,
          clock: t().clock,
          cache: t().services.cache,
        }),
        services: new ListingServices({
          providers: t().services.providers,
          repo: t().services.providersRepo,
          changes,
          clock: t().clock,
        }),
      };
      const principal = {
        userId: cast.owner.user.id,
        role: 'provider' as const,
        sessionId: 'x',
        actsForProviderId: cast.owner.user.id,
        emailVerified: true,
      };
      await expect(failing.services.add(principal, listing.id, 1, serviceInput())).rejects.toThrow(
        'outbox unavailable',
      );
      await expect(
        failing.providers.update(principal, listing.id, 1, listingInput({ name: 'Never saved' })),
      ).rejects.toThrow();
      const after = (await get(listing.id, 'owner')).json() as Listing;
      expect(after).toMatchObject({ version: 1, name: listing.name, services: [] });
    });
  });
});
