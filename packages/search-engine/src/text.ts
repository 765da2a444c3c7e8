/** Text normalisation shared by indexing, querying, highlighting and suggestions. */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;
const ASCII_WORD = /^[a-z0-9]+$/;

/** Lower-cases and strips diacritics ("Müller" → "muller"). */
export function normalizeWord(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII_WORD.test(lower)) return lower;
  return lower.normalize('NFD').replace(MARKS, '').replace(/ß/g, 'ss');
}

/** Splits text into normalised words. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = normalizeWord(m[0]);
    if (w.length > 0) out.push(w);
  }
  return out;
}

export interface PositionedToken {
  word: string;
  start: number;
  end: number;
}

/** Splits text into normalised words with UTF-16 offsets into the original text. */
export function tokenizeWithOffsets(text: string): PositionedToken[] {
  const out: PositionedToken[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    out.push({ word: normalizeWord(m[0]), start, end: start + m[0].length });
  }
  return out;
}

/** Edit budget per word length: 0 below 4 letters, 1 from 4, 2 from 8. */
export function maxEditsFor(length: number): number {
  if (length >= 8) return 2;
  if (length >= 4) return 1;
  return 0;
}

/** Optimal-string-alignment (Damerau–Levenshtein with adjacent transpositions) distance. */
export function osaDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? 0;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** Renders highlight offsets as HTML-escaped text with `<mark>` around each matched span. */
export function markHighlights(value: string, offsets: readonly (readonly [number, number])[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...offsets].sort((x, y) => x[0] - y[0])) {
    if (start < at) continue;
    out += `${escapeHtml(value.slice(at, start))}<mark>${escapeHtml(value.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(value.slice(at));
}
