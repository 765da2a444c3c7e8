/** Deterministic listing generator (the demo data's seeded PRNG): same seed and count → same documents. */

import { mulberry32 } from '@carebook/demo-data';
import type { ProviderDoc } from '@carebook/search-engine';
import { CITIES, CLINIC_WORDS, FIRST_NAMES, INSURERS, LANGUAGES, LAST_NAMES, SPECIALTIES } from './data';

export const BENCH_NOW = Date.UTC(2025, 2, 3, 8, 0, 0);

export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
function pickSome<T>(r: Rand, xs: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(r() * (max - min + 1));
  const out = new Set<T>();
  while (out.size < Math.min(n, xs.length)) out.add(pick(r, xs));
  return [...out];
}
const CITY_TOTAL = CITIES.reduce((s, c) => s + c.weight, 0);
function pickCity(r: Rand) {
  let x = r() * CITY_TOTAL;
  for (const c of CITIES) {
    x -= c.weight;
    if (x <= 0) return c;
  }
  return CITIES[0] as (typeof CITIES)[number];
}
const gauss = (r: Rand) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

export function generate(count: number, seed = 42): ProviderDoc[] {
  const r = mulberry32(seed);
  const docs: ProviderDoc[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const city = pickCity(r);
    const clinic = r() < 0.15;
    const specs = pickSome(r, SPECIALTIES, 1, clinic ? 3 : 2);
    const main = specs[0] as (typeof SPECIALTIES)[number];
    const first = pick(r, FIRST_NAMES);
    const last = pick(r, LAST_NAMES);
    const name = clinic
      ? r() < 0.5
        ? `${last} ${main.name} ${pick(r, CLINIC_WORDS)}`
        : `${city.name} ${main.name} ${pick(r, CLINIC_WORDS)}`
      : `Dr. ${first} ${last}`;
    const priced = r() < 0.9;
    const min = Math.floor(r() * 40) * 500;
    const visit = r();
    docs[i] = {
      id: `p${i}`,
      name,
      kind: clinic ? 'clinic' : 'practitioner',
      specialties: specs.map((s) => s.code),
      specialtyNames: specs.map((s) => s.name),
      conditions: [...new Set(specs.flatMap((s) => pickSome(r, s.conditions, 1, 3)))],
      services: [...new Set(specs.flatMap((s) => pickSome(r, s.services, 1, 2)))],
      languages: [...new Set([city.lang, ...pickSome(r, LANGUAGES, 0, 2)])],
      city: city.name,
      insurance: pickSome(r, INSURERS, 1, 4),
      gender: clinic ? null : r() < 0.48 ? 'female' : r() < 0.95 ? 'male' : 'nonbinary',
      visitTypes: visit < 0.6 ? ['in_person'] : visit < 0.9 ? ['in_person', 'video'] : ['video'],
      acceptingNewPatients: r() < 0.75,
      priceMinCents: priced ? min : null,
      priceMaxCents: priced ? min + Math.floor(r() * 20) * 500 : null,
      lat: city.lat + gauss(r) * 0.06,
      lon: city.lon + gauss(r) * 0.09,
      nextAvailableAt: r() < 0.85 ? BENCH_NOW + Math.floor(r() * 30 * 24) * 3_600_000 : null,
    };
  }
  return docs;
}
