import type { Listing, SearchResponse } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually';
import { bearer } from '../../../test/support/http';
import {
  type Cast,
  castOf,
  listingInput,
  serviceInput,
  weekdaysNineToFive,
} from '../../../test/support/providers';
import { describeSearchAppEachDialect } from '../../../test/support/search';
import type { BusyTimeReader } from '../../ports/busy-time';

/** Claims the bookings module would record, per provider. */
const claims = new Map<string, { start: number; end: number }[]>();
const busy: BusyTimeReader = { busyIntervals: async (id) => claims.get(id) ?? [] };

describeSearchAppEachDialect(
  'search follows listing changes and bookings',
  0,
  (t) => {
    let cast: Cast;
    beforeAll(async () => {
      cast = await castOf(t());
    });
    const owner = () => bearer(cast.owner.tokens.accessToken);
    const search = async (qs: string) => {
      const res = await t().app.inject({ url: `/api/v1/search?${qs}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as SearchResponse;
    };
    const send = async (method: 'POST' | 'PUT', url: string, version: number, payload?: object) => {
      const res = await t().app.inject({
        method,
        url,
        headers: { ...owner(), 'if-match': `"${version}"` },
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as Listing;
    };

    it('shows a newly published listing, follows booked-out days, and drops it when unpublished', async () => {
      expect((await search('q=zebulon')).total).toBe(0);
      const created = await t().app.inject({
        method: 'POST',
        url: '/api/v1/providers',
        headers: owner(),
        payload: listingInput({ name: 'Dr. Zebulon Quaritch' }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id } = created.json() as Listing;
      await send('POST', `/api/v1/providers/${id}/services`, 1, serviceInput());
      await send('PUT', `/api/v1/providers/${id}/schedule`, 2, weekdaysNineToFive());
      expect((await search('q=zebulon')).total).toBe(0);
      const published = await send('POST', `/api/v1/providers/${id}/publish`, 3);

      const found = await eventually(
        () => search('q=zebulon&lat=40.75&lon=-73.99&radiusKm=10'),
        (r) => r.total === 1,
      );
      expect(found.results[0]).toMatchObject({ id, name: 'Dr. Zebulon Quaritch', city: 'New York' });
      // The test clock says Tuesday 07:00 in New York; hours 09:00-17:00 with an hour's notice.
      expect(found.results[0]?.nextAvailableAt).toBe('2026-11-24T14:00:00.000Z');
      expect((await search('q=zebulon&availableBefore=2026-11-24T23:59:59Z')).total).toBe(1);

      // Today's last free slot gets booked: the bookings module tells the indexer.
      claims.set(id, [
        { start: Date.parse('2026-11-24T14:00:00Z'), end: Date.parse('2026-11-24T22:00:00Z') },
      ]);
      await t().indexer.onBusyTimeChanged(id);
      const booked = await search('q=zebulon');
      expect(booked.results[0]?.nextAvailableAt).toBe('2026-11-25T14:00:00.000Z');
      expect((await search('q=zebulon&availableBefore=2026-11-24T23:59:59Z')).total).toBe(0);
      expect((await search('q=zebulon&sort=soonest&availableWithinDays=2')).total).toBe(1);

      await send('POST', `/api/v1/providers/${id}/unpublish`, published.version);
      const gone = await eventually(
        () => search('q=zebulon'),
        (r) => r.total === 0,
      );
      expect(gone.total).toBe(0);
    });
  },
  busy,
);
