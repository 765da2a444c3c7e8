import { DEMO_SEED } from '@carebook/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { type FreshDatabases, freshDatabases } from '../../../test/support/databases';
import { query } from '../../../test/support/search-index';
import { EmbeddedSearchIndex } from '../../adapters/search/embedded';
import { noBookingClaimsYet } from '../../ports/busy-time';
import { seedDemoListings } from '../providers/demo-listings';
import type { ProviderRow, ServiceRow } from '../providers/listing-mapper';
import { ReviewRatingReader } from '../reviews/review-ratings';
import { createSearchIndexer } from './indexer';
import { publishedDocs, rebuildSearchIndex } from './rebuild';
import { listingToDoc } from './search-doc';

describe('listingToDoc', () => {
  const row = {
    id: 'p1',
    name: 'Dr. Ines Okafor',
    kind: 'practitioner',
    specialties: '["dermatology","paediatrics"]',
    conditions: '["acne"]',
    languages: '["en","de"]',
    insurance: '["Aetna"]',
    gender: 'non-binary',
    visit_types: 'in-person,video',
    accepting_new_patients: 0,
    city: 'New York',
    latitude: 40.75,
    longitude: -73.99,
    time_zone: 'America/New_York',
    schedule: '{}',
    photos: JSON.stringify([
      {
        id: 'ph',
        width: 1,
        height: 1,
        variants: { thumbnail: { webp: 'k/thumb.webp', jpeg: 'k/thumb.jpg', width: 1, height: 1 } },
      },
    ]),
    status: 'published',
  } as unknown as ProviderRow;
  const service = (name: string, price: number, active = 1) =>
    ({
      provider_id: 'p1',
      name,
      price_cents: price,
      duration_minutes: 30,
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
      active,
    }) as ServiceRow;

  it('maps vocabulary, names, prices of active services and the thumbnail', () => {
    const doc = listingToDoc(
      row,
      [service('Skin check', 9000), service('Old', 100, 0), service('Video', 4000)],
      123,
      { average: 4.5, count: 2 },
    );
    expect(doc).toMatchObject({
      specialties: ['dermatology', 'paediatrics'],
      specialtyNames: ['Dermatology', 'Paediatrics'],
      services: ['Skin check', 'Video'],
      gender: 'nonbinary',
      visitTypes: ['in_person', 'video'],
      acceptingNewPatients: false,
      priceMinCents: 4000,
      priceMaxCents: 9000,
      nextAvailableAt: 123,
      rating: { average: 4.5, count: 2 },
      photoThumbnail: 'k/thumb.webp',
      lat: 40.75,
      lon: -73.99,
    });
    expect(listingToDoc({ ...row, photos: '[]', gender: null }, [], null, null)).toMatchObject({
      priceMinCents: null,
      gender: null,
      photoThumbnail: null,
    });
  });
});

describe('rebuild and indexer against the database', () => {
  let dbs: FreshDatabases;
  const clock = new TestClock();
  const drafts: string[] = [];
  const ratings = () => new ReviewRatingReader(dbs.dbs.bookings.db);
  beforeAll(async () => {
    dbs = await freshDatabases('sqlite');
    const db = dbs.dbs.inventory.db;
    await seedDemoListings(db, { count: 40, seed: DEMO_SEED, clock });
    const ids = (await db.selectFrom('providers').select('id').orderBy('id').execute()).map((r) => r.id);
    // A whole page of drafts (ids 7..13 with pages of 7) plus a suspended one.
    drafts.push(...ids.slice(7, 14));
    await db.updateTable('providers').set({ status: 'draft' }).where('id', 'in', drafts).execute();
    await db
      .updateTable('providers')
      .set({ status: 'suspended' })
      .where('id', '=', ids[30] ?? '')
      .execute();
    drafts.push(ids[30] ?? '');
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('streams published listings only, across pages, each with its next slot', async () => {
    const docs = [];
    for await (const d of publishedDocs(dbs.dbs.inventory.db, noBookingClaimsYet, ratings(), clock, 7))
      docs.push(d);
    expect(docs).toHaveLength(40 - drafts.length);
    expect(docs.some((d) => drafts.includes(d.id))).toBe(false);
    expect(docs.every((d) => d.nextAvailableAt !== null && d.nextAvailableAt > clock.now().getTime())).toBe(
      true,
    );
  });

  it('the indexer upserts published listings and deletes the rest on any provider event', async () => {
    const db = dbs.dbs.inventory.db;
    const index = new EmbeddedSearchIndex();
    expect(await rebuildSearchIndex(db, index, noBookingClaimsYet, ratings(), clock)).toMatchObject({
      count: 32,
    });
    const indexer = createSearchIndexer({ db, index, busy: noBookingClaimsYet, ratings: ratings(), clock });
    const draft = drafts[0] ?? '';
    const event = (type: string, id: string) => ({
      id: 'e',
      type,
      aggregateId: id,
      occurredAt: '',
      payload: {},
    });
    await db.updateTable('providers').set({ status: 'published' }).where('id', '=', draft).execute();
    const v = await index.version();
    await indexer.handle(event('provider.listing.published', draft));
    expect(await index.version()).toBeGreaterThan(v);
    expect((await index.search(query())).total).toBe(33);
    await db.updateTable('providers').set({ status: 'suspended' }).where('id', '=', draft).execute();
    await indexer.handle(event('provider.listing.suspended', draft));
    expect((await index.search(query())).total).toBe(32);
    await indexer.handle(event('booking.confirmed', draft));
    await indexer.handle(event('provider.listing.updated', 'no-such-listing'));
    expect((await index.search(query())).total).toBe(32);
  });
});
