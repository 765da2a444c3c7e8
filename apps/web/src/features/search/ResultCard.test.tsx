import type { SearchResultItem } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { ResultCard } from './ResultCard';
import { interpretationHeading } from './SearchPage';

const item = (over: Partial<SearchResultItem> = {}): SearchResultItem => ({
  id: '0190a0a0-0000-7000-8000-000000000001',
  name: 'Harbour Children’s Clinic',
  kind: 'clinic',
  specialties: [{ code: 'paediatrics', name: 'Paediatrics' }],
  city: 'Boston',
  acceptingNewPatients: false,
  distanceKm: 8.04672,
  nextAvailableAt: null,
  highlights: [],
  photoThumbnail: null,
  rating: null,
  ...over,
});

describe('ResultCard', () => {
  it('says whether new patients are accepted, with distances and spelling for the viewer (en-US)', () => {
    renderApp(
      <ul>
        <ResultCard item={item()} />
        <ResultCard item={item({ id: '0190a0a0-0000-7000-8000-000000000002', acceptingNewPatients: true })} />
      </ul>,
    );
    expect(screen.getByText('Not accepting new patients')).toBeTruthy();
    expect(screen.getByText('Accepting new patients')).toBeTruthy();
    // happy-dom reports en-US: miles and American spelling.
    expect(screen.getAllByText('5.0 mi away')).toHaveLength(2);
    expect(screen.getAllByText(/Pediatrics/)).toHaveLength(2);
  });
});

describe('ResultCard rating', () => {
  it('shows the average with the count, and says it in words to screen readers', () => {
    renderApp(
      <ul>
        <ResultCard item={item({ rating: { average: 4.6, count: 23 } })} />
        <ResultCard
          item={item({ id: '0190a0a0-0000-7000-8000-000000000003', rating: { average: 5, count: 1 } })}
        />
        <ResultCard item={item({ id: '0190a0a0-0000-7000-8000-000000000004' })} />
      </ul>,
    );
    const shown = screen.getByText('4.6 ★ (23 reviews)');
    expect(shown.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByText('Rated 4.6 out of 5 from 23 reviews').className).toBe('visually-hidden');
    expect(screen.getByText('Rated 5.0 out of 5 from 1 review')).toBeTruthy();
    expect(screen.getAllByText(/Rated/)).toHaveLength(2);
  });
});

describe('interpretationHeading', () => {
  const base = { text: 'dentist', condition: null, needsLocation: false } as const;
  const dentist = { code: 'dentistry', name: 'Dentistry', practitionerTitle: 'Dentist' };
  it('names who and where: "Dentists near London"', () => {
    expect(
      interpretationHeading({ ...base, specialty: dentist, location: { label: 'London', source: 'place' } }),
    ).toBe('Dentists near London');
    expect(
      interpretationHeading(
        {
          ...base,
          specialty: { code: 'paediatrics', name: 'Paediatrics', practitionerTitle: 'Paediatrician' },
          condition: 'asthma',
          location: { label: 'your location', source: 'near-me' },
        },
        'en-US',
      ),
    ).toBe('Pediatricians for asthma near your location');
    expect(
      interpretationHeading({ ...base, specialty: null, location: { label: 'Leeds', source: 'postcode' } }),
    ).toBe('Results near Leeds');
  });
  it('says nothing when only a specialty was read (the results say it already)', () => {
    expect(interpretationHeading({ ...base, specialty: dentist, location: null })).toBeNull();
    expect(interpretationHeading(undefined)).toBeNull();
  });
});
