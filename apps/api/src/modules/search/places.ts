/**
 * Places a query can name, from the bundled demo city data (`@carebook/demo-data` cities): city
 * names (and a few English exonyms such as "munich" or "cologne") and postcodes. No outside
 * geocoder: a place is known only if it is one of the bundled cities.
 *
 * Postcode coverage: every postcode the city table lists (US ZIP codes, German, French and
 * Spanish codes, Australian and Indian PIN codes, UK outward codes such as "SW7", Canadian FSAs
 * such as "M5V") resolves to its city's centre; another code of the same country resolves when
 * its prefix is shared by exactly one city (US/DE/FR/ES: first three digits, AU: first two,
 * IN: first three; UK: the outward code's letters, e.g. "EH4" → Edinburgh; CA: the first two
 * characters of the FSA). A UK or Canadian full code ("SW7 2AZ", "M5V 3L9") counts by its
 * outward part. Anything else is not a place.
 */
import { normaliseTerm } from '@carebook/contracts';
import { cities } from '@carebook/demo-data';

export interface Place {
  /** The city's display name, as in listing addresses. */
  name: string;
  country: string;
  region: string;
  timeZone: string;
  lat: number;
  lon: number;
}

const EXONYMS: Record<string, string> = {
  munich: 'München',
  muenchen: 'München',
  cologne: 'Köln',
  koeln: 'Köln',
  frankfurt: 'Frankfurt am Main',
  seville: 'Sevilla',
  'las palmas': 'Las Palmas de Gran Canaria',
  'gran canaria': 'Las Palmas de Gran Canaria',
  delhi: 'New Delhi',
  bangalore: 'Bengaluru',
  madras: 'Chennai',
  bombay: 'Mumbai',
  'washington dc': 'Washington',
  'washington d c': 'Washington',
  nyc: 'New York',
  'new york city': 'New York',
  la: 'Los Angeles',
  sf: 'San Francisco',
  montreal: 'Montréal',
};

const byName = new Map<string, Place>();
for (const c of cities) {
  byName.set(normaliseTerm(c.name), {
    name: c.name,
    country: c.country,
    region: c.region,
    timeZone: c.timeZone,
    lat: c.latitude,
    lon: c.longitude,
  });
}
for (const [alias, name] of Object.entries(EXONYMS)) {
  const place = byName.get(normaliseTerm(name));
  if (place) byName.set(alias, place);
}
const longestName = Math.max(...[...byName.keys()].map((k) => k.split(' ').length));

const exactPostcodes = new Map<string, Place>();
const prefixes = new Map<string, Set<Place>>();
/** How many leading characters of a postcode identify its area for a country. */
function prefixOf(code: string, country: string): string | null {
  if (country === 'GB') return code.replace(/\d.*$/, '') || null;
  if (country === 'CA') return code.slice(0, 2);
  if (country === 'AU') return code.slice(0, 2);
  return code.slice(0, 3);
}
for (const c of cities) {
  const place = byName.get(normaliseTerm(c.name)) as Place;
  for (const raw of c.postcodes) {
    const code = raw.toLowerCase();
    exactPostcodes.set(`${c.country}:${code}`, place);
    exactPostcodes.set(code, place);
    const p = prefixOf(code, c.country);
    if (p) {
      const key = `${c.country}:${p}`;
      const set = prefixes.get(key) ?? new Set();
      set.add(place);
      prefixes.set(key, set);
    }
  }
}

/** The postcode's country by shape, or null when it cannot be a postcode. */
function postcodeCountries(code: string): string[] {
  if (/^\d{5}$/.test(code)) return ['US', 'DE', 'FR', 'ES'];
  if (/^\d{4}$/.test(code)) return ['AU'];
  if (/^\d{6}$/.test(code)) return ['IN'];
  if (/^[a-z]\d[a-z]$/.test(code)) return ['CA'];
  if (/^[a-z]{1,2}\d[a-z\d]?$/.test(code)) return ['GB'];
  return [];
}

/** A postcode (one normalised word, lower-case) → its place, or null. */
export function placeForPostcode(word: string): Place | null {
  const exact = exactPostcodes.get(word);
  if (exact) return exact;
  const found = new Set<Place>();
  for (const country of postcodeCountries(word)) {
    const p = prefixOf(word, country);
    for (const place of (p && prefixes.get(`${country}:${p}`)) || []) found.add(place);
  }
  return found.size === 1 ? ([...found][0] as Place) : null;
}

/** Is `word` the inward half of a UK or Canadian postcode ("2az", "3l9")? */
export const isInwardCode = (word: string) => /^\d[a-z]{2}$/.test(word) || /^\d[a-z]\d$/.test(word);

/**
 * The longest city name (or exonym) starting at `words[start]`: the place and how many words it
 * spans, or null.
 */
export function placeAt(words: readonly string[], start: number): { place: Place; length: number } | null {
  for (let n = Math.min(longestName, words.length - start); n >= 1; n--) {
    const place = byName.get(words.slice(start, start + n).join(' '));
    if (place) return { place, length: n };
  }
  return null;
}

/** Every bundled city, by name. */
export const allPlaces = (): Place[] =>
  [...new Set(byName.values())].sort((a, b) => a.name.localeCompare(b.name));

/**
 * Places for an address or a typed name, best first: a postcode (any word of `q` that is one),
 * then cities whose name or exonym starts with what was typed. No outside geocoder.
 */
export function findPlaces(q: string): { place: Place; match: 'postcode' | 'city' }[] {
  const words = normaliseTerm(q).split(' ').filter(Boolean);
  const out: { place: Place; match: 'postcode' | 'city' }[] = [];
  const seen = new Set<Place>();
  for (const w of words) {
    const p = /\d/.test(w) ? placeForPostcode(w) : null;
    if (p && !seen.has(p)) {
      seen.add(p);
      out.push({ place: p, match: 'postcode' });
    }
  }
  const text = words.filter((w) => !/\d/.test(w)).join(' ');
  if (text) {
    for (const [key, place] of byName) {
      if (seen.has(place)) continue;
      if (key.startsWith(text) || text.split(' ').some((_, i, ws) => ws.slice(i).join(' ') === key)) {
        seen.add(place);
        out.push({ place, match: 'city' });
      }
    }
  }
  return out;
}
