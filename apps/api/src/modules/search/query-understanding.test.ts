import { describe, expect, it } from 'vitest';
import { interpretRequest, understandQuery } from './query-understanding';

describe('everyday phrasing', () => {
  it('turns a city after "in" into a location and keeps the specialty words', () => {
    const u = understandQuery('dentist in london');
    expect(u).toMatchObject({ text: 'dentist', specialty: 'dentistry', nearMe: false });
    expect(u.place).toMatchObject({ label: 'London', source: 'place' });
    expect(understandQuery('cardiologist in New York').place?.label).toBe('New York');
    expect(understandQuery('dermatologist in munich').place?.label).toBe('München');
  });

  it('reads a condition after "for" and drops filler words', () => {
    const u = understandQuery('I need a dermatologist for acne');
    expect(u).toMatchObject({ text: 'dermatologist acne', specialty: 'dermatology', condition: 'acne' });
    expect(u.place).toBeNull();
  });

  it('turns postcodes into a location: US ZIP, UK outward code with inward part, Canadian FSA', () => {
    expect(understandQuery('pediatrician 10001')).toMatchObject({
      text: 'pediatrician',
      specialty: 'paediatrics',
      place: { label: 'New York', source: 'postcode' },
    });
    expect(understandQuery('gp SW7 2AZ')).toMatchObject({ text: 'gp', place: { label: 'London' } });
    expect(understandQuery('dentist M5V 3L9').place?.label).toBe('Toronto');
    // Not listed, but the ZIP3 area 100 belongs to New York alone.
    expect(understandQuery('dentist 10036').place?.label).toBe('New York');
    expect(understandQuery('dentist 99999').place).toBeNull();
  });

  it('keeps a word after "in" that is not a bundled place as text', () => {
    const u = understandQuery('specialist in sports medicine');
    expect(u.place).toBeNull();
    expect(u.text).toBe('specialist sports medicine');
  });

  it('"near me" uses the viewer position when sent, and asks for one when not', () => {
    const without = interpretRequest({ q: 'dentist near me' });
    expect(without.request).toEqual({ q: 'dentist' });
    expect(without.interpreted).toMatchObject({ needsLocation: true, location: null });
    const withViewer = interpretRequest({ q: 'dentist near me', lat: 51.5, lon: -0.12 });
    expect(withViewer.request).toMatchObject({ q: 'dentist', lat: 51.5, lon: -0.12, radiusKm: 25 });
    expect(withViewer.interpreted).toMatchObject({
      needsLocation: false,
      location: { label: 'your location', source: 'near-me' },
      specialty: { code: 'dentistry', practitionerTitle: 'Dentist' },
    });
  });

  it('a typed place wins over a sent position, and a typo still names the specialty', () => {
    const r = interpretRequest({ q: 'dermatolgist in paris', lat: 40.7, lon: -74 });
    expect(r.request).toMatchObject({ q: 'dermatolgist', radiusKm: 25 });
    expect(r.request.lat).toBeCloseTo(48.86, 1);
    expect(r.interpreted?.specialty?.code).toBe('dermatology');
  });
});

describe('bundled places for the listing form', () => {
  it('finds a place by postcode first, then by city name or exonym; nothing for unknown places', async () => {
    const { findPlaces, allPlaces } = await import('./places');
    expect(findPlaces('10001 New York')[0]).toMatchObject({
      match: 'postcode',
      place: { name: 'New York', country: 'US', timeZone: 'America/New_York' },
    });
    expect(findPlaces('Munich')[0]?.place.name).toBe('München');
    expect(findPlaces('Sevilla').map((p) => p.match)).toEqual(['city']);
    expect(findPlaces('Atlantis')).toEqual([]);
    expect(allPlaces().length).toBe(58);
  });
});
