import { describe, expect, it } from 'vitest';
import { cities } from './cities';
import { clinicProfiles } from './clinics';
import { countries } from './countries';
import { toMinutes, weekdays } from './hours';
import {
  DEMO_SEED,
  generateProvider,
  generateProviders,
  iterateProviders,
  type ProviderDraft,
} from './index';
import { findInsurer, isLanguageCode, isSpecialtyCode, specialtyByCode } from './vocabulary';

const sample = generateProviders({ count: 2000, seed: DEMO_SEED });
const cityOf = (p: ProviderDraft) => {
  const city = cities.find((c) => c.name === p.address.city && c.country === p.address.country);
  if (!city) throw new Error(`no city ${p.address.city}`);
  return city;
};

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

function utcOffsetHours(timeZone: string, date: string): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part ?? '');
  if (!m) throw new Error(`unexpected offset ${part}`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3]) / 60);
}

describe('demo provider generator', () => {
  it('is deterministic for a seed and count, and differs between seeds', () => {
    expect(generateProviders({ count: 300, seed: DEMO_SEED })).toEqual(sample.slice(0, 300));
    expect(generateProviders({ count: 300, seed: 7 })).toEqual(generateProviders({ count: 300, seed: 7 }));
    const other = generateProviders({ count: 300, seed: DEMO_SEED + 1 });
    expect(other.map((p) => p.key)).not.toEqual(sample.slice(0, 300).map((p) => p.key));
    expect([...iterateProviders({ count: 50, seed: DEMO_SEED })]).toEqual(sample.slice(0, 50));
    expect(generateProvider(DEMO_SEED, 1234)).toEqual(sample[1234]);
  });

  it('returns exactly count providers with unique slug keys', () => {
    expect(sample).toHaveLength(2000);
    expect(new Set(sample.map((p) => p.key)).size).toBe(2000);
    for (const p of sample) expect(p.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-\d+$/);
    expect(generateProviders({ count: 0, seed: 1 })).toEqual([]);
    expect(() => generateProviders({ count: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateProviders({ count: 1.5, seed: 1 })).toThrow(RangeError);
  });

  it('spreads providers over every country and most cities, practitioners and clinics', () => {
    const seenCountries = new Set(sample.map((p) => p.address.country));
    expect(seenCountries.size).toBe(Object.keys(countries).length);
    expect(new Set(sample.map((p) => p.address.city)).size).toBeGreaterThanOrEqual(40);
    const clinics = sample.filter((p) => p.kind === 'clinic').length;
    expect(clinics).toBeGreaterThan(400);
    expect(clinics).toBeLessThan(800);
  });

  it('uses only vocabulary specialties, with coherent clinic combinations and matching conditions', () => {
    const used = new Set<string>();
    for (const p of sample) {
      expect(p.specialties.length).toBeGreaterThanOrEqual(1);
      expect(p.specialties.length).toBeLessThanOrEqual(3);
      expect(new Set(p.specialties).size).toBe(p.specialties.length);
      for (const code of p.specialties) {
        expect(isSpecialtyCode(code), code).toBe(true);
        used.add(code);
      }
      if (p.kind === 'clinic') {
        const fits = clinicProfiles.some(
          (profile) =>
            profile.primary.includes(p.specialties[0] as never) &&
            p.specialties.slice(1).every((c) => profile.extras.includes(c)),
        );
        expect(fits, `${p.name}: ${p.specialties.join(', ')}`).toBe(true);
      }
      const allowed = new Set(p.specialties.flatMap((c) => specialtyByCode(c)?.conditions ?? []));
      expect(p.conditions.length).toBeGreaterThan(0);
      for (const c of p.conditions) expect(allowed.has(c), `${p.key}: ${c}`).toBe(true);
    }
    expect(used.size).toBeGreaterThanOrEqual(70);
  });

  it('lists valid, plausible languages and known insurers for the country', () => {
    for (const p of sample) {
      const city = cityOf(p);
      expect(p.languages.length).toBeGreaterThan(0);
      expect(new Set(p.languages).size).toBe(p.languages.length);
      for (const l of p.languages) expect(isLanguageCode(l), l).toBe(true);
      for (const l of city.languages) expect(p.languages).toContain(l);
      expect(new Set(p.insurance).size).toBe(p.insurance.length);
      for (const name of p.insurance) {
        const insurer = findInsurer(name);
        expect(insurer?.name, name).toBe(name);
        expect(insurer?.countries, `${name} in ${p.address.country}`).toContain(p.address.country);
        if (insurer?.regions) expect(insurer.regions).toContain(p.address.region);
      }
    }
    const byCountry = (code: string) => sample.filter((p) => p.address.country === code);
    expect(byCountry('DE').every((p) => p.languages[0] === 'de')).toBe(true);
    expect(byCountry('DE').filter((p) => p.languages.includes('en')).length).toBeGreaterThan(
      byCountry('DE').length / 2,
    );
    expect(
      sample.filter((p) => p.address.city === 'Barcelona').every((p) => p.languages.includes('ca')),
    ).toBe(true);
    expect(sample.filter((p) => p.address.city === 'Montréal').every((p) => p.languages[0] === 'fr')).toBe(
      true,
    );
    expect(byCountry('US').some((p) => p.languages.includes('es'))).toBe(true);
  });

  it('places providers within a few kilometres of their real city, in its time zone', () => {
    for (const p of sample) {
      const city = cityOf(p);
      expect(p.latitude).toBeGreaterThanOrEqual(-90);
      expect(p.latitude).toBeLessThanOrEqual(90);
      expect(p.longitude).toBeGreaterThanOrEqual(-180);
      expect(p.longitude).toBeLessThanOrEqual(180);
      expect(distanceKm(p.latitude, p.longitude, city.latitude, city.longitude)).toBeLessThanOrEqual(5.01);
      expect(p.timeZone).toBe(city.timeZone);
      expect(p.address.country).toMatch(/^[A-Z]{2}$/);
      expect(p.address.postcode.length).toBeGreaterThan(2);
      expect(p.address.line1.length).toBeGreaterThan(3);
    }
  });

  it('uses real IANA zones for every city, several of them in the US', () => {
    for (const city of cities) {
      expect(
        () => new Intl.DateTimeFormat(undefined, { timeZone: city.timeZone }),
        city.timeZone,
      ).not.toThrow();
      // Standard-time offset (the smaller of January's and July's) roughly matches the longitude.
      const hours = Math.min(
        utcOffsetHours(city.timeZone, '2025-01-15'),
        utcOffsetHours(city.timeZone, '2025-07-15'),
      );
      expect(Math.abs(hours - city.longitude / 15), `${city.name} ${city.timeZone}`).toBeLessThan(2);
    }
    expect(() => new Intl.DateTimeFormat(undefined, { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(cities.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cities.map((c) => c.country)).size).toBeGreaterThanOrEqual(6);
    expect(
      new Set(cities.filter((c) => c.country === 'US').map((c) => c.timeZone)).size,
    ).toBeGreaterThanOrEqual(4);
    expect(new Set(cities.map((c) => `${c.name}/${c.country}`)).size).toBe(cities.length);
  });

  it('produces well-formed weekly hours', () => {
    let saturdays = 0;
    let lunchBreaks = 0;
    for (const p of sample) {
      expect(Object.keys(p.weeklyHours).sort()).toEqual([...weekdays].sort());
      let open = 0;
      for (const day of weekdays) {
        const intervals = p.weeklyHours[day];
        let previousEnd = -1;
        for (const { start, end } of intervals) {
          expect(start).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(end).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(toMinutes(start)).toBeLessThan(toMinutes(end));
          expect(toMinutes(start)).toBeGreaterThan(previousEnd);
          previousEnd = toMinutes(end);
        }
        if (intervals.length > 0) open++;
        if (intervals.length > 1) lunchBreaks++;
      }
      if (p.weeklyHours.sat.length > 0) saturdays++;
      expect(open, p.key).toBeGreaterThanOrEqual(2);
    }
    expect(saturdays).toBeGreaterThan(100);
    expect(lunchBreaks).toBeGreaterThan(1000);
  });

  it('offers realistic services in the local currency and consistent booking rules', () => {
    let free = 0;
    for (const p of sample) {
      expect(p.services.length).toBeGreaterThan(0);
      expect(new Set(p.services.map((s) => s.name)).size).toBe(p.services.length);
      const currency = countries[p.address.country].currency;
      for (const s of p.services) {
        expect(s.durationMinutes).toBeGreaterThanOrEqual(15);
        expect(s.durationMinutes).toBeLessThanOrEqual(60);
        expect(Number.isInteger(s.priceCents)).toBe(true);
        expect(s.priceCents).toBeGreaterThanOrEqual(0);
        expect(s.currency).toBe(currency);
        expect(['in-person', 'video']).toContain(s.visitType);
        expect(s.bufferBeforeMinutes).toBeGreaterThanOrEqual(0);
        expect(s.bufferAfterMinutes).toBeGreaterThanOrEqual(0);
        expect(s.bufferAfterMinutes).toBeLessThanOrEqual(15);
        expect(s.name).not.toMatch(/\{S\}|undefined/);
        if (s.priceCents === 0) free++;
      }
      expect([...new Set(p.services.map((s) => s.visitType))].sort()).toEqual([...p.visitTypes].sort());
      const shortest = Math.min(...p.services.map((s) => s.durationMinutes));
      expect([5, 10, 15, 20, 30]).toContain(p.slotIntervalMinutes);
      expect(p.slotIntervalMinutes).toBeLessThanOrEqual(shortest);
      expect(p.minimumNoticeMinutes).toBeGreaterThan(0);
      expect(p.bookingHorizonDays).toBeGreaterThanOrEqual(14);
      expect(p.bookingHorizonDays).toBeLessThanOrEqual(180);
    }
    expect(free).toBeGreaterThan(0);
    const usGp = sample.find((p) => p.address.country === 'US' && p.specialties[0] === 'general-practice');
    expect(usGp?.services.every((s) => s.priceCents >= 5000)).toBe(true);
  });

  it('writes names and bios from the data, with no placeholders left', () => {
    for (const p of sample) {
      expect(p.gender === null).toBe(p.kind === 'clinic');
      expect(p.bio.startsWith(p.name), p.key).toBe(true);
      expect(p.bio).toContain(p.address.city);
      const text = JSON.stringify(p);
      expect(text).not.toMatch(/undefined|\bNaN\b|\{S\}/);
      expect(text).not.toMatch(/lorem|ipsum|\bfoo\b|\bbar\b/i);
    }
    const german = sample.filter((p) => p.address.country === 'DE' && p.kind === 'practitioner');
    expect(german.some((p) => p.name.startsWith('Dr. med. '))).toBe(true);
    expect(sample.some((p) => p.address.country === 'ES' && p.name.startsWith('Dra. '))).toBe(true);
    for (const p of sample.filter((x) => x.address.country === 'US')) {
      const shown = [p.name, p.bio, ...p.services.map((s) => s.name)].join(' ');
      expect(shown, p.key).not.toMatch(/Centre|centre|aediatric|rthopaedic|ynaecolog|ounsell/);
    }
  });

  it('can be limited to some countries', () => {
    const onlyCanada = generateProviders({ count: 200, seed: 3, countries: ['CA'] });
    expect(
      onlyCanada.every((p) => p.address.country === 'CA' && p.services.every((s) => s.currency === 'CAD')),
    ).toBe(true);
    expect(() => generateProviders({ count: 1, seed: 3, countries: [] })).toThrow();
  });

  it('streams 100,000 providers', { timeout: 180_000 }, () => {
    let count = 0;
    let clinics = 0;
    for (const p of iterateProviders({ count: 100_000, seed: DEMO_SEED })) {
      count++;
      if (p.kind === 'clinic') clinics++;
    }
    expect(count).toBe(100_000);
    expect(clinics).toBeGreaterThan(25_000);
  });
});
