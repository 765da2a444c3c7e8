/**
 * Everyday phrasing: what a person means by "dentist in london", "dermatologist for acne",
 * "dentist near me" or "pediatrician 10001". Pure: no I/O, no clock.
 *
 * - A bundled place after "in", "near", "around" or "at" ("in new york"), or a postcode anywhere
 *   ("10001", "SW7 2AZ"), becomes a location (see `places.ts` for what is covered) and leaves the
 *   text.
 * - "near me", "nearby", "close to me", "around me" ask for the viewer's position: with lat/lon
 *   in the request it is the location, without them the answer says a position is needed.
 * - Filler words ("i need a … for …") leave the text. Everything else stays, so names, specialty
 *   words (typo-tolerant in the engine) and condition words ("acne" matches conditions treated)
 *   still match as before.
 * - The specialty and condition named are reported for display ("Dermatologists for acne"); the
 *   specialty is looked up in the vocabulary, exactly or within one or two typos.
 */
import type { SearchInterpretation, SearchRequest } from '@carebook/contracts';
import { conditionSpecialties, layTermSynonyms, normaliseTerm, specialtyByCode } from '@carebook/contracts';
import { isInwardCode, placeAt, placeForPostcode } from './places';

/** Radius around a place, postcode or the viewer when the request gives none. */
export const DEFAULT_PLACE_RADIUS_KM = 25;

const FILLER = new Set([
  'i',
  'im',
  'am',
  'need',
  'needs',
  'want',
  'looking',
  'look',
  'find',
  'finding',
  'search',
  'searching',
  'book',
  'me',
  'my',
  'a',
  'an',
  'the',
  'for',
  'to',
  'with',
  'who',
  'that',
  'treats',
  'treat',
  'treating',
  'please',
  'some',
  'someone',
  'of',
  'in',
  'near',
  'nearby',
  'around',
  'at',
  'close',
]);
const PLACE_MARKERS = new Set(['in', 'near', 'around', 'at']);
const NEAR_ME: ReadonlyArray<readonly string[]> = [
  ['near', 'me'],
  ['close', 'to', 'me'],
  ['around', 'me'],
  ['nearby'],
  ['near', 'my', 'location'],
];

const specialtyPhrases = layTermSynonyms();
const conditionPhrases = conditionSpecialties();
const singleWordSpecialties = Object.entries(specialtyPhrases).filter(([k]) => !k.includes(' '));

export interface Understood {
  /** What is left for the text search ('' when nothing is). */
  text: string;
  place: { label: string; lat: number; lon: number; source: 'place' | 'postcode' } | null;
  nearMe: boolean;
  specialty: string | null;
  condition: string | null;
}

function startsWithAt(words: readonly string[], i: number, phrase: readonly string[]): boolean {
  return phrase.every((w, k) => words[i + k] === w);
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** The one specialty a run of words names (longest phrase first; typos for single words ≥ 6). */
function findSpecialty(words: readonly string[]): string | null {
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const codes = specialtyPhrases[words.slice(i, i + n).join(' ')];
      if (codes?.length === 1) return codes[0] as string;
    }
  }
  for (const w of words) {
    if (w.length < 6) continue;
    const budget = w.length >= 8 ? 2 : 1;
    let best: { code: string; d: number } | null = null;
    for (const [phrase, codes] of singleWordSpecialties) {
      if (codes.length !== 1 || Math.abs(phrase.length - w.length) > budget) continue;
      const d = editDistance(w, phrase);
      if (d <= budget && (!best || d < best.d)) best = { code: codes[0] as string, d };
    }
    if (best) return best.code;
  }
  return null;
}

function findCondition(words: readonly string[]): string | null {
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const phrase = words.slice(i, i + n).join(' ');
      if (conditionPhrases[phrase] && !specialtyPhrases[phrase]) return phrase;
    }
  }
  return null;
}

/** Reads a free-text query the way a person means it; see the module comment. */
export function understandQuery(q: string): Understood {
  const words = normaliseTerm(q).split(' ').filter(Boolean);
  const kept: string[] = [];
  let place: Understood['place'] = null;
  let nearMe = false;
  for (let i = 0; i < words.length; ) {
    const w = words[i] as string;
    const near = NEAR_ME.find((p) => startsWithAt(words, i, p));
    if (near) {
      nearMe = true;
      i += near.length;
      continue;
    }
    if (PLACE_MARKERS.has(w) && !place) {
      const at = placeAt(words, i + 1);
      if (at) {
        place = { label: at.place.name, lat: at.place.lat, lon: at.place.lon, source: 'place' };
        i += 1 + at.length;
        continue;
      }
    }
    if (!place && /\d/.test(w)) {
      const found = placeForPostcode(w);
      if (found) {
        place = { label: found.name, lat: found.lat, lon: found.lon, source: 'postcode' };
        i += 1 + (words[i + 1] !== undefined && isInwardCode(words[i + 1] as string) ? 1 : 0);
        continue;
      }
    }
    kept.push(w);
    i++;
  }
  const content = kept.filter((w) => !FILLER.has(w));
  return {
    text: content.join(' '),
    place,
    nearMe,
    specialty: findSpecialty(content),
    condition: findCondition(content),
  };
}

const UNDERSTOOD_MAX = 4096;
const understoodCache = new Map<string, Readonly<Understood>>();

/**
 * `understandQuery` of texts already read (it is a pure function of the text: the vocabulary and
 * the places are bundled), so a search box's repeated words are read once; emptied when full.
 * The value is shared: read it, never change it.
 */
function understood(q: string): Readonly<Understood> {
  let u = understoodCache.get(q);
  if (u === undefined) {
    u = understandQuery(q);
    if (understoodCache.size >= UNDERSTOOD_MAX) understoodCache.clear();
    understoodCache.set(q, u);
  }
  return u;
}

/** The interpretation the API reports for a query (display only; search uses `Understood`). */
export function describeUnderstood(u: Understood, viewer: boolean): SearchInterpretation {
  const s = u.specialty ? specialtyByCode(u.specialty) : undefined;
  return {
    text: u.text,
    specialty: s ? { code: s.code, name: s.name, practitionerTitle: s.practitionerTitle } : null,
    condition: u.condition,
    // Required properties before optional ones: the order the schema's serializer writes them in.
    location: u.place
      ? { label: u.place.label, source: u.place.source, lat: u.place.lat, lon: u.place.lon }
      : u.nearMe && viewer
        ? { label: 'your location', source: 'near-me' }
        : null,
    needsLocation: u.nearMe && !viewer,
  };
}

/**
 * Applies the reading of `req.q` to the request: the text left for the engine, and a place,
 * postcode or "near me" (with the viewer's lat/lon) as a geo filter of `DEFAULT_PLACE_RADIUS_KM`
 * unless the request names a radius. A place typed in the text wins over a position sent along.
 */
export function interpretRequest(req: SearchRequest): {
  request: SearchRequest;
  interpreted?: SearchInterpretation;
} {
  if (!req.q?.trim()) return { request: req };
  const u = understood(req.q);
  const viewer = req.lat !== undefined && req.lon !== undefined;
  const request: SearchRequest = { ...req };
  if (u.text) request.q = u.text;
  else delete request.q;
  if (u.place) {
    request.lat = u.place.lat;
    request.lon = u.place.lon;
    request.radiusKm ??= DEFAULT_PLACE_RADIUS_KM;
  } else if (u.nearMe && viewer) request.radiusKm ??= DEFAULT_PLACE_RADIUS_KM;
  return { request, interpreted: describeUnderstood(u, viewer) };
}
