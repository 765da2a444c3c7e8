/**
 * Autocomplete as forgiving as search: the engine completes specialty *names*, conditions,
 * cities and provider names, but people type what the practitioner is called ("dermatologist"),
 * a lay term ("skin doctor") or a misspelling of either ("dermatolgist", "pediatrcian"). This
 * maps the typed text through the vocabulary (practitioner titles, synonyms, both spellings) with
 * the engine's typo budget (one edit from 4 letters, two from 8) on the last word read as a
 * prefix, and offers the specialties found — only those some listing has.
 */
import type { SuggestResponse } from '@carebook/contracts';
import { layTermSynonyms, normaliseTerm, specialtyByCode } from '@carebook/contracts';
import { editDistance } from './query-understanding';

type Suggestion = SuggestResponse['suggestions'][number];

const phrases = Object.entries(layTermSynonyms());
const budget = (n: number) => (n >= 8 ? 2 : n >= 4 ? 1 : 0);

/** Least edits from `typed` to some prefix of `word` no shorter than `typed` minus the budget. */
function prefixDistance(typed: string, word: string, b: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let len = Math.max(1, typed.length - b); len <= Math.min(word.length, typed.length + b); len++)
    best = Math.min(best, editDistance(typed, word.slice(0, len)));
  return best;
}

/** Specialty codes the text names, best first (fewest edits). */
export function vocabularySpecialties(q: string): string[] {
  const words = normaliseTerm(q).split(' ').filter(Boolean);
  const last = words.at(-1);
  if (!last || last.length < 3) return [];
  const head = words.slice(0, -1);
  const scored = new Map<string, number>();
  for (const [phrase, codes] of phrases) {
    const pw = phrase.split(' ');
    if (pw.length !== words.length || !head.every((w, i) => pw[i] === w)) continue;
    const target = pw[pw.length - 1] as string;
    const d = target.startsWith(last) ? 0 : prefixDistance(last, target, budget(last.length));
    if (d > budget(last.length)) continue;
    for (const code of codes) scored.set(code, Math.min(scored.get(code) ?? d, d));
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([code]) => code);
}

/**
 * Puts the specialties the vocabulary reads from `q` in front of the engine's suggestions,
 * counted by the engine (`count(name)` completes the specialty's own name), leaving out those
 * already offered and those no listing has.
 */
export async function withVocabularySpecialties(
  q: string,
  fromEngine: Suggestion[],
  count: (name: string) => Promise<number>,
  limit: number,
): Promise<Suggestion[]> {
  const offered = new Set(fromEngine.filter((s) => s.kind === 'specialty').map((s) => s.text));
  const extra: Suggestion[] = [];
  for (const code of vocabularySpecialties(q).slice(0, 3)) {
    const name = specialtyByCode(code)?.name;
    if (!name || offered.has(name)) continue;
    const n = await count(name);
    if (n > 0) extra.push({ text: name, kind: 'specialty', count: n });
  }
  return [...extra, ...fromEngine].slice(0, limit);
}
