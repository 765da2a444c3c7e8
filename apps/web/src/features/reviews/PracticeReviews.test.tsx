import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { PracticeReviews } from './PracticeReviews';

const listings = [
  { id: '0190a0a0-0000-7000-8000-000000000001', name: 'Harbour Practice' },
  { id: '0190a0a0-0000-7000-8000-000000000002', name: 'Hill Clinic' },
];
const page = (items: unknown[]) => ({
  summary: { average: items.length ? 4 : null, count: items.length },
  items,
  page: 1,
  pageSize: 50,
  total: items.length,
});

/** The practice's listings and, for each, its reviews (`reviewed` names the one with a review). */
function serve(reviewed: string | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = new URL(String(input), 'http://localhost').pathname;
      if (path === '/api/v1/providers')
        return Response.json({ items: listings, page: 1, pageSize: 100, total: listings.length });
      const id = /^\/api\/v1\/providers\/([^/]+)\/reviews$/.exec(path)?.[1];
      if (id)
        return Response.json(
          page(
            id === reviewed
              ? [
                  {
                    id: '0190a0a0-0000-7000-8000-0000000000r1',
                    providerId: id,
                    serviceName: 'Check-up',
                    rating: 4,
                    text: 'Kind and quick.',
                    author: 'Pat',
                    createdAt: '2030-01-01T00:00:00.000Z',
                    reply: null,
                  },
                ]
              : [],
          ),
        );
      return Response.json({ code: 'NOT_FOUND', status: 404 }, { status: 404 });
    }),
  );
}

describe('PracticeReviews', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says there are no reviews yet rather than showing an empty card', async () => {
    serve(null);
    renderApp(<PracticeReviews />);
    expect(await screen.findByText(/^No reviews yet\./)).toBeTruthy();
  });

  it('lists the reviews there are, with a reply box, and no "none yet"', async () => {
    serve(listings[1]?.id ?? null);
    renderApp(<PracticeReviews />);
    expect(await screen.findByText(/Kind and quick\./)).toBeTruthy();
    expect(screen.getByRole('heading', { name: /^Hill Clinic · 4\.0 \(1\)$/ })).toBeTruthy();
    expect(screen.getByLabelText('Reply to Pat')).toBeTruthy();
    expect(screen.queryByText(/^No reviews yet\./)).toBeNull();
  });
});
