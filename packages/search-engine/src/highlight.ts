/**
 * Highlights for returned hits only: each text field is re-tokenised with offsets and words whose
 * normalised form is one of the query's matched terms (including typo variants and completions)
 * are reported as `[start, end)` UTF-16 offsets into the original value. Specialties selected
 * through a lay synonym are highlighted as a whole. `markHighlights` renders `<mark>` HTML.
 */

import { type PositionedToken, tokenizeWithOffsets } from './text';
import type { Highlight, ProviderDoc } from './types';

type ArrayField = 'specialtyNames' | 'conditions' | 'services' | 'languages' | 'insurance';
const ARRAY_FIELDS: readonly ArrayField[] = [
  'specialtyNames',
  'conditions',
  'services',
  'languages',
  'insurance',
];

const TOKENS_MAX = 8192;
/**
 * Tokens of field values already highlighted (a pure function of the text, so never stale).
 * Specialty names, conditions, services, languages, insurers and cities repeat across listings,
 * and every hit of every search re-read them; emptied when full.
 */
const tokensOf = new Map<string, readonly PositionedToken[]>();

function tokens(value: string): readonly PositionedToken[] {
  let t = tokensOf.get(value);
  if (t === undefined) {
    t = tokenizeWithOffsets(value);
    if (tokensOf.size >= TOKENS_MAX) tokensOf.clear();
    tokensOf.set(value, t);
  }
  return t;
}

/** `[start, end)` of the words of `value` that are query terms; null when none is (no allocation). */
function spans(value: string, terms: ReadonlySet<string>): [number, number][] | null {
  let out: [number, number][] | null = null;
  const list = tokens(value);
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as PositionedToken;
    if (!terms.has(t.word)) continue;
    if (out === null) out = [];
    out.push([t.start, t.end]);
  }
  return out;
}

export function highlightDoc(
  doc: ProviderDoc,
  terms: ReadonlySet<string>,
  codes: readonly string[],
): Highlight[] {
  const out: Highlight[] = [];
  if (terms.size === 0 && codes.length === 0) return out;
  const name = spans(doc.name, terms);
  if (name) out.push({ field: 'name', index: 0, value: doc.name, offsets: name });
  for (const field of ARRAY_FIELDS) {
    const values = doc[field];
    const bySynonym = field === 'specialtyNames' && codes.length > 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? '';
      const offsets: [number, number][] | null =
        bySynonym && codes.includes(doc.specialties[i] ?? '') ? [[0, value.length]] : spans(value, terms);
      if (offsets && offsets.length > 0) out.push({ field, index: i, value, offsets });
    }
  }
  const city = spans(doc.city, terms);
  if (city) out.push({ field: 'city', index: 0, value: doc.city, offsets: city });
  return out;
}
