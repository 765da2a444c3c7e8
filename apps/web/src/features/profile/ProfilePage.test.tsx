import type { Listing } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys, makeQueryClient } from '../../app/query-client';
import { renderApp } from '../../test/render';
import { ProfilePage } from './ProfilePage';

const id = '0190a0a0-0000-7000-8000-0000000000aa';
const listing = (over: Partial<Listing> = {}): Listing =>
  ({
    id,
    ownerId: '0190a0a0-0000-7000-8000-0000000000bb',
    name: 'Harbour Family Practice',
    kind: 'clinic',
    specialties: ['paediatrics'],
    conditions: [],
    languages: ['en'],
    insurance: [],
    gender: null,
    visitTypes: ['in-person'],
    acceptingNewPatients: false,
    phone: '+1 617 555 0199',
    bio: '',
    address: { line1: '1 Harbour St', city: 'Boston', region: 'MA', postcode: '02114', country: 'US' },
    location: { lat: 42.36, lon: -71.06 },
    timeZone: 'America/New_York',
    status: 'published',
    photos: [],
    services: [
      {
        id: '0190a0a0-0000-7000-8000-0000000000cc',
        providerId: id,
        name: 'Check-up',
        description: '',
        durationMinutes: 20,
        priceCents: 0,
        currency: 'USD',
        visitType: 'in-person',
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        active: true,
      },
    ],
    schedule: {
      weekly: {},
      overrides: [],
      timeOff: [],
      slotIntervalMinutes: 20,
      minimumNoticeMinutes: 60,
      bookingHorizonDays: 30,
      cancellationWindowHours: 24,
    },
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    publishedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }) as Listing;

function renderProfile(l: Listing) {
  const queryClient = makeQueryClient();
  queryClient.setQueryData(keys.listing(id), l);
  return renderApp(
    <Routes>
      <Route path="/providers/:id" element={<ProfilePage />} />
    </Routes>,
    { path: `/providers/${id}`, queryClient },
  );
}

describe('ProfilePage', () => {
  it('a practice closed to new patients says so before any slot, and a new patient gets no calendar', async () => {
    const user = userEvent.setup();
    renderProfile(listing());
    expect(screen.getByText('Not accepting new patients')).toBeTruthy();
    expect(
      screen.getByText(/is not accepting new patients\. Only patients who have been seen here/),
    ).toBeTruthy();
    // Returning is the default here; saying "new" replaces the calendar with the reason.
    expect(screen.getByRole('radio', { name: /returning patient/ })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('radio', { name: /new patient/ }));
    expect(screen.getByText(/New patients cannot book here/)).toBeTruthy();
    expect(screen.queryByText(/Times shown in/)).toBeNull();
  });

  it('shows the phone number, the full address, a map with its text alternative and new-patient status; asks new or returning first', async () => {
    renderProfile(listing({ acceptingNewPatients: true }));
    expect(screen.getByText('Accepting new patients')).toBeTruthy();
    expect(screen.getByRole('link', { name: '+1 617 555 0199' }).getAttribute('href')).toBe(
      'tel:+16175550199',
    );
    expect(document.querySelector('address')?.textContent).toBe('1 Harbour St02114 Boston, MAUnited States');
    // The map is its own lazy chunk (Leaflet).
    const map = await screen.findByRole(
      'region',
      { name: 'Map: where Harbour Family Practice is' },
      { timeout: 5000 },
    );
    expect(map.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(map.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'The pin marks Harbour Family Practice at 1 Harbour St, Boston.',
    );
    expect(screen.getByRole('link', { name: 'Open the map on OpenStreetMap' }).getAttribute('href')).toBe(
      'https://www.openstreetmap.org/?mlat=42.36&mlon=-71.06#map=17/42.36/-71.06',
    );
    expect(screen.getByRole('group', { name: 'Have you been seen here before?' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: /new patient/ })).toHaveProperty('checked', true);
    // en-US reader: American spelling of the specialty.
    expect(screen.getByText('Pediatrics')).toBeTruthy();
    expect(document.title).toBe('Harbour Family Practice · Carebook');
  });
});

describe('ProfilePage back link', () => {
  it('returns to the search with its filters', async () => {
    const { searchActions } = await import('../../app/search-slice');
    const { makeStore } = await import('../../app/store');
    const store = makeStore();
    store.dispatch(searchActions.setQuery('dentist'));
    store.dispatch(searchActions.toggleFilter({ facet: 'language', value: 'es' }));
    const queryClient = makeQueryClient();
    queryClient.setQueryData(keys.listing(id), listing({ acceptingNewPatients: true }));
    renderApp(
      <Routes>
        <Route path="/providers/:id" element={<ProfilePage />} />
      </Routes>,
      { path: `/providers/${id}`, queryClient, store },
    );
    expect(screen.getByRole('link', { name: '‹ Back to results' }).getAttribute('href')).toBe(
      '/search?q=dentist&language=es',
    );
  });
});

describe('ProfilePage for a link that names no provider', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says the provider was not found and links to the search, never the API wording about the path', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json(
          {
            type: 'urn:carebook:problem:validation-failed',
            title: 'The request is not valid',
            status: 400,
            code: 'VALIDATION_FAILED',
            detail: 'The request is not valid: /path/id must match format "uuid".',
            requestId: 'r1',
            errors: [{ path: '/path/id', message: 'must match format "uuid"' }],
          },
          { status: 400, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    renderApp(
      <Routes>
        <Route path="/providers/:id" element={<ProfilePage />} />
      </Routes>,
      { path: '/providers/not-a-provider' },
    );
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Provider not found');
    expect(screen.getByRole('link', { name: 'Find another provider' }).getAttribute('href')).toBe('/search');
    expect(document.body.textContent).not.toMatch(/uuid|\/path\//);
  });
});
