/**
 * Everyday-phrasing queries over the demo data ("dentist in london", "dermatologist for acne in
 * leeds", "pediatrician 10001", "dentist near me" from a city centre), for the recall@3 test of
 * the API's query understanding (`apps/api/src/modules/search/query-understanding.ts`).
 *
 * Each names a specialty by its practitioner title (US or British spelling), maybe a condition
 * the specialty treats, and a place: a city after "in", a postcode of the city, or "near me"
 * with the viewer at the city centre. Expected: every provider in that city matching all the
 * content words (title, condition). A query is kept only if it is fair: the providers in the
 * city matching *any* content word number at most three, so a search limited to the place finds
 * them all in its top three however it ranks partial matches.
 */
import { cities } from './cities';
import { searchableWords, tokens, wordMatches } from './corpus';
import type { ProviderDraft } from './generate';
import { mixSeed } from './prng';
import { type SpecialtyCode, specialties, specialtyByCode, spellingVariants } from './vocabulary';

export type EverydayForm = 'in-city' | 'for-condition' | 'postcode' | 'near-me' | 'filler';

export interface EverydayQuery {
  id: string;
  form: EverydayForm;
  query: string;
  /** The viewer's position, for "near me". */
  at?: { lat: number; lon: number };
  expectedKeys: string[];
  note: string;
}

const QUOTA: Record<EverydayForm, number> = {
  'in-city': 8,
  'for-condition': 6,
  postcode: 6,
  'near-me': 6,
  filler: 4,
};

export function buildEverydayQueries(providers: readonly ProviderDraft[]): EverydayQuery[] {
  const words = providers.map((p) => [...searchableWords(p)]);
  const matches = (i: number, w: string) => (words[i] as string[]).some((d) => wordMatches(w, d));
  const byCity = new Map<string, number[]>();
  providers.forEach((p, i) => {
    byCity.set(p.address.city, [...(byCity.get(p.address.city) ?? []), i]);
  });
  const out: EverydayQuery[] = [];
  const used = new Set<string>();
  const counts = new Map<EverydayForm, number>();
  const codes = [...specialties.map((s) => s.code as SpecialtyCode)].sort(
    (a, b) => mixSeed(a.length, 7) - mixSeed(b.length, 7) || a.localeCompare(b),
  );
  const cityList = cities.filter((c) => byCity.has(c.name));

  /** Tries one form for one specialty (and condition), over the cities in a fixed order. */
  const attempt = (form: EverydayForm, code: SpecialtyCode, condition: string | null): boolean => {
    if ((counts.get(form) ?? 0) >= QUOTA[form]) return false;
    const s = specialtyByCode(code);
    if (!s) return false;
    const variants = spellingVariants(s.practitionerTitle);
    const title = (form === 'postcode' ? variants[1] : variants[0]) ?? (variants[0] as string);
    const content = tokens(`${title} ${condition ?? ''}`);
    const start = mixSeed(code.length + out.length, 11) % cityList.length;
    for (let k = 0; k < cityList.length; k++) {
      const city = cityList[(start + k) % cityList.length] as (typeof cityList)[number];
      if (used.has(`${code}@${city.name}`)) continue;
      const here = byCity.get(city.name) ?? [];
      const any = here.filter((i) => content.some((w) => matches(i, w)));
      const all = here.filter(
        (i) =>
          content.every((w) => matches(i, w)) && (providers[i] as ProviderDraft).specialties.includes(code),
      );
      if (all.length < 1 || all.length > 3 || any.length > 3) continue;
      const cityWord = city.name.toLowerCase();
      let query: string;
      let at: EverydayQuery['at'];
      if (form === 'in-city') query = `${title} in ${cityWord}`;
      else if (form === 'for-condition') query = `${title} for ${condition} in ${cityWord}`;
      else if (form === 'postcode') query = `${title} ${(city.postcodes[0] as string).toLowerCase()}`;
      else if (form === 'near-me') {
        query = `${title} near me`;
        at = { lat: city.latitude, lon: city.longitude };
      } else query = `i need a ${title} in ${cityWord}`;
      used.add(`${code}@${city.name}`);
      const n = (counts.get(form) ?? 0) + 1;
      counts.set(form, n);
      out.push({
        id: `${form}-${String(n).padStart(2, '0')}`,
        form,
        query,
        ...(at ? { at } : {}),
        expectedKeys: all.map((i) => (providers[i] as ProviderDraft).key),
        note: `${s.practitionerTitle}${condition ? ` treating ${condition}` : ''} in ${city.name}: ${all.length}`,
      });
      return true;
    }
    return false;
  };

  for (const code of codes) {
    attempt('in-city', code, null);
    attempt('postcode', code, null);
    attempt('near-me', code, null);
    attempt('filler', code, null);
    const s = specialtyByCode(code);
    for (const condition of s?.conditions ?? []) if (attempt('for-condition', code, condition)) break;
  }
  return out;
}
