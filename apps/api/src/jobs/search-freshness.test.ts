import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';
import { at, type Ctx, practice, WED_0900_NY } from '../../test/support/bookings';
import { refreshPassedSlots } from './search-freshness';

describeAppEachDialect('search freshness', (t) => {
  it('moves a listing’s next slot forward once the indexed one has passed', async () => {
    const p = await practice(t() as Ctx);
    await t().services.relay.drain();
    const next = async () =>
      (
        await t().services.searchIndex.search({
          q: '',
          filters: {},
          now: t().clock.now().getTime(),
          sort: 'soonest',
          page: 1,
          size: 50,
        })
      ).hits.find((h) => h.doc.id === p.listing.id)?.nextAvailableAt;
    const before = await next();
    const tue0900 = at(WED_0900_NY, -24 * 60);
    expect(before).toBe(Date.parse(tue0900)); // Tuesday 07:00 in New York: the first slot is 09:00
    t().clock.set(new Date(at(tue0900, 60)));
    expect(
      await refreshPassedSlots(t().services.searchIndex, t().services.searchIndexer, t().clock),
    ).toBeGreaterThanOrEqual(1);
    const after = await next();
    expect(after).toBeGreaterThan(Date.parse(at(tue0900, 60)));
    t().clock.set(new Date('2026-11-24T12:00:00.000Z'));
  });
});
