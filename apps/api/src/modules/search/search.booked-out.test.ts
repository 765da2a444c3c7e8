import type { SearchResponse } from '@carebook/contracts';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { book, practice } from '../../../test/support/bookings';
import { eventually } from '../../../test/support/eventually';
import { bearer } from '../../../test/support/http';
import { weekdaysNineToFive } from '../../../test/support/providers';

// End to end, with the real claims table and event flow: no hand-fed busy time.
describeAppEachDialect('search follows a real booking of the last slot today', (t) => {
  it('moves the next available slot to tomorrow once today’s last slot is booked, and back when it is cancelled', async () => {
    const { cast, listing, free } = await practice(t());
    const h = { ...bearer(cast.owner.tokens.accessToken), 'if-match': `"${listing.version}"` };
    // Today (Tuesday 24 November, New York) opens for a single 15-minute slot at 16:00.
    const schedule = weekdaysNineToFive({
      slotIntervalMinutes: 15,
      overrides: [{ date: '2026-11-24', intervals: [{ start: '16:00', end: '16:15' }] }],
    });
    const put = await t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${listing.id}/schedule`,
      headers: h,
      payload: schedule,
    });
    expect(put.statusCode, put.body).toBe(200);
    const lastSlotToday = '2026-11-24T21:00:00.000Z';
    const firstSlotTomorrow = '2026-11-25T14:00:00.000Z';

    const search = async () => {
      const res = await t().app.inject({
        url: `/api/v1/search?q=${encodeURIComponent(listing.name)}&size=50`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as SearchResponse).results.find((r) => r.id === listing.id);
    };
    const before = await eventually(search, (r) => r?.nextAvailableAt === lastSlotToday);
    expect(before?.nextAvailableAt).toBe(lastSlotToday);

    const res = await book(t().app, cast.patient.tokens.accessToken, {
      providerId: listing.id,
      serviceId: free,
      start: lastSlotToday,
    });
    expect(res.statusCode, res.body).toBe(201);
    const booked = await eventually(search, (r) => r?.nextAvailableAt === firstSlotTomorrow);
    expect(booked?.nextAvailableAt).toBe(firstSlotTomorrow);
    const today = await t().app.inject({
      url: `/api/v1/search?q=${encodeURIComponent(listing.name)}&availableBefore=2026-11-25T04:59:59Z`,
    });
    expect((today.json() as SearchResponse).results.map((r) => r.id)).not.toContain(listing.id);

    // The provider cancels (patients are past the 24-hour window): the slot is free again.
    const cancel = await t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${res.json().id}/cancel`,
      headers: bearer(cast.owner.tokens.accessToken),
      payload: { reason: 'The doctor is unwell' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const freed = await eventually(search, (r) => r?.nextAvailableAt === lastSlotToday);
    expect(freed?.nextAvailableAt).toBe(lastSlotToday);
  });
});
