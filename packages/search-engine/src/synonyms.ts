import { tokenize } from './text';

/** Prefix marking hidden specialty-code terms in the term dictionary (never typed by users). */
export const CODE_TERM_PREFIX = '\u0001';
export const codeTerm = (code: string): string => CODE_TERM_PREFIX + code;

export interface SynonymRule {
  words: string[];
  codes: string[];
}

/**
 * Lay vocabulary. Single words ("dermatologist", "heart") are looked up through the term trie,
 * so they are typo-tolerant like any other word; phrases ("skin doctor") match exactly, longest
 * phrase first.
 */
export class SynonymTable {
  private byFirst = new Map<string, SynonymRule[]>();
  /** Single-word keys → specialty codes. */
  readonly words = new Map<string, string[]>();

  constructor(synonyms: Record<string, string[]>) {
    for (const [phrase, codes] of Object.entries(synonyms)) {
      const words = tokenize(phrase);
      const first = words[0];
      if (first === undefined || codes.length === 0) continue;
      if (words.length === 1) {
        this.words.set(first, [...new Set([...(this.words.get(first) ?? []), ...codes])]);
        continue;
      }
      const list = this.byFirst.get(first) ?? [];
      list.push({ words, codes: [...codes] });
      list.sort((a, b) => b.words.length - a.words.length);
      this.byFirst.set(first, list);
    }
  }

  /** Longest multi-word rule matching `words` starting at `at`, if any. */
  match(words: readonly string[], at: number): SynonymRule | undefined {
    const first = words[at];
    if (first === undefined) return undefined;
    for (const rule of this.byFirst.get(first) ?? []) {
      if (at + rule.words.length > words.length) continue;
      if (rule.words.every((w, i) => words[at + i] === w)) return rule;
    }
    return undefined;
  }
}

/**
 * A small lay vocabulary for tests and demos. Applications pass their own vocabulary through
 * `EngineOptions.synonyms`.
 */
export const DEFAULT_SYNONYMS: Record<string, string[]> = {
  'skin doctor': ['dermatology'],
  skin: ['dermatology'],
  dermatologist: ['dermatology'],
  cardiologist: ['cardiology'],
  paediatrician: ['paediatrics'],
  ophthalmologist: ['ophthalmology'],
  orthopaedist: ['orthopaedics'],
  gynaecologist: ['gynaecology'],
  psychiatrist: ['psychiatry'],
  psychologist: ['psychology'],
  physiotherapist: ['physiotherapy'],
  rash: ['dermatology'],
  acne: ['dermatology'],
  heart: ['cardiology'],
  'heart doctor': ['cardiology'],
  'kids doctor': ['paediatrics'],
  'children doctor': ['paediatrics'],
  'child doctor': ['paediatrics'],
  pediatrician: ['paediatrics'],
  'eye doctor': ['ophthalmology'],
  eyes: ['ophthalmology'],
  teeth: ['dentistry'],
  dentist: ['dentistry'],
  'tooth doctor': ['dentistry'],
  'bone doctor': ['orthopaedics'],
  'womens health': ['gynaecology'],
  'family doctor': ['general_practice'],
  gp: ['general_practice'],
  'mental health': ['psychiatry', 'psychology'],
  therapist: ['psychology', 'physiotherapy'],
  'back pain': ['physiotherapy', 'orthopaedics'],
};
