/** The query mix: plain text, misspelled text (with known correct spelling) and geo+filters+facets. */

import { mulberry32 } from '@carebook/demo-data';
import type { VisitType } from '@carebook/search-engine';
import { CITIES, FIRST_NAMES, INSURERS, LAST_NAMES, SPECIALTIES } from './data';
import { pick, type Rand } from './generate';

export type QueryClass = 'plain' | 'typo' | 'geo';
export interface BenchFilters {
  languages?: string[];
  insurance?: string[];
  acceptingNewPatients?: boolean;
  visitTypes?: VisitType[];
}
export interface BenchQuery {
  cls: QueryClass;
  text: string;
  geo?: { lat: number; lon: number; radiusKm: number };
  filters?: BenchFilters;
  /** Correctly spelled words: documents containing all of them are the relevant set (typo class). */
  truthWords?: string[];
}

const lower = (s: string) => s.toLowerCase();
const words = (s: string) =>
  lower(s)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const SPEC_WORDS = SPECIALTIES.flatMap((s) => words(s.name));
const CONDITION_WORDS = [...new Set(SPECIALTIES.flatMap((s) => s.conditions.flatMap(words)))];
const TYPO_POOL = [
  ...new Set([
    ...SPEC_WORDS,
    ...CONDITION_WORDS,
    ...LAST_NAMES.map(lower),
    ...CITIES.map((c) => lower(c.name)),
  ]),
].filter((w) => w.length >= 5);
const ALPHA = 'abcdefghijklmnopqrstuvwxyz';

/** One random edit (substitution, deletion, insertion or transposition), never on the first letter. */
function edit(r: Rand, w: string): string {
  const i = 1 + Math.floor(r() * (w.length - 1));
  const kind = Math.floor(r() * 4);
  const c = pick(r, [...ALPHA]);
  if (kind === 0) return w.slice(0, i) + (c === w[i] ? 'x' : c) + w.slice(i + 1);
  if (kind === 1) return w.slice(0, i) + w.slice(i + 1);
  if (kind === 2) return w.slice(0, i) + c + w.slice(i);
  if (i + 1 < w.length && w[i] !== w[i + 1]) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  return w.slice(0, i) + w.slice(i + 1);
}

export function misspell(r: Rand, w: string): string {
  const twice = w.length >= 8 && r() < 0.35;
  let out = edit(r, w);
  if (twice) out = edit(r, out);
  return out === w ? edit(r, w) : out;
}

function plain(r: Rand): BenchQuery {
  const spec = pick(r, SPECIALTIES);
  const city = pick(r, CITIES);
  const templates = [
    () => lower(spec.name),
    () => `${lower(spec.name)} ${lower(city.name)}`,
    () => lower(pick(r, LAST_NAMES)),
    () => `${lower(pick(r, FIRST_NAMES))} ${lower(pick(r, LAST_NAMES))}`,
    () => lower(pick(r, spec.conditions)),
    () => lower(pick(r, spec.services)),
    () => lower(spec.name).slice(0, 4 + Math.floor(r() * 3)),
    () => `dr ${lower(pick(r, LAST_NAMES)).slice(0, 4)}`,
  ];
  return { cls: 'plain', text: pick(r, templates)() };
}

function typo(r: Rand): BenchQuery {
  const w = pick(r, TYPO_POOL);
  const bad = misspell(r, w);
  if (r() < 0.5) {
    const city = lower(pick(r, CITIES).name);
    if (city !== w) return { cls: 'typo', text: `${bad} ${city}`, truthWords: [w, city] };
  }
  return { cls: 'typo', text: bad, truthWords: [w] };
}

function geo(r: Rand): BenchQuery {
  const city = pick(r, CITIES);
  const filters: BenchFilters = {};
  if (r() < 0.5) filters.languages = [r() < 0.5 ? city.lang : 'en'];
  if (r() < 0.3) filters.insurance = [pick(r, INSURERS)];
  if (r() < 0.3) filters.acceptingNewPatients = true;
  if (r() < 0.2) filters.visitTypes = ['video'];
  const text = r() < 0.6 ? lower(pick(r, SPECIALTIES).name) : '';
  const radiusKm = pick(r, [5, 10, 25, 50]);
  return { cls: 'geo', text, geo: { lat: city.lat, lon: city.lon, radiusKm }, filters };
}

export function queryMix(perClass: number, seed = 7): BenchQuery[] {
  const r = mulberry32(seed);
  const out: BenchQuery[] = [];
  for (let i = 0; i < perClass; i++) out.push(plain(r), typo(r), geo(r));
  return out;
}
