import type { Listing, ListingSummary, OpenInterval, PracticeBooking } from '@carebook/contracts';
import { vi } from 'vitest';

/** The practice of the dashboard tests: an eye clinic in Frankfurt (Europe/Berlin). */
export const LISTING_ID = '0190a0a0-0000-7000-8000-0000000000aa';
const ZONE = 'Europe/Berlin';

let n = 0;
export function practiceBooking(
  start: string,
  minutes: number,
  over: Partial<PracticeBooking> = {},
): PracticeBooking {
  n += 1;
  return {
    id: `0190a0a0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    providerId: LISTING_ID,
    providerName: 'Augenarztpraxis am Kirchplatz',
    serviceId: '0190a0a0-0000-7000-8000-0000000000cc',
    serviceName: 'Eye test',
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
    timeZone: ZONE,
    status: 'confirmed',
    reasonForVisit: 'Blurred vision',
    newPatient: true,
    patient: {
      id: '0190a0a0-0000-7000-8000-0000000000dd',
      name: 'Jonas Weber',
      email: 'jonas@example.org',
      phone: null,
    },
    version: 1,
    allowedActions: [],
    ...over,
  };
}

const summary: ListingSummary = {
  id: LISTING_ID,
  ownerId: '0190a0a0-0000-7000-8000-0000000000bb',
  name: 'Augenarztpraxis am Kirchplatz',
  kind: 'clinic',
  specialties: ['ophthalmology'],
  city: 'Frankfurt am Main',
  country: 'DE',
  status: 'published',
  version: 3,
  updatedAt: '2026-12-01T00:00:00.000Z',
};

/**
 * The practice API as the server answers it, in place of `fetch`: the listings, the listing, and
 * the schedule (the bookings in `state.bookings` that start in the asked range, and the given
 * opening hours). Tests change `state` to play what happens on the server.
 */
export function servePractice(state: { bookings: PracticeBooking[]; open: OpenInterval[] }) {
  const calls: string[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://carebook.test');
      calls.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/v1/providers' && url.searchParams.get('scope') === 'mine')
        return json({ items: [summary], page: 1, pageSize: 100, total: 1 });
      if (url.pathname === `/api/v1/providers/${LISTING_ID}`)
        return json({ ...summary, timeZone: ZONE } as Partial<Listing>);
      if (url.pathname === '/api/v1/practice/schedule') {
        const from = url.searchParams.get('from') ?? '';
        const to = url.searchParams.get('to') ?? '';
        const within = (iso: string) =>
          Date.parse(iso) >= Date.parse(from) && Date.parse(iso) < Date.parse(to);
        return json({
          from,
          to,
          listings: [
            {
              id: LISTING_ID,
              name: summary.name,
              timeZone: ZONE,
              open: state.open.filter((o) => within(o.start)),
            },
          ],
          bookings: state.bookings.filter((b) => within(b.start)),
          truncated: false,
        });
      }
      return json({ code: 'NOT_FOUND', status: 404, title: 'Not found', detail: 'No such thing.' }, 404);
    }),
  );
  return calls;
}
