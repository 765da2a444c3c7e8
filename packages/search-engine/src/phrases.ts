/**
 * Reference-counted table of the low-cardinality phrases offered as suggestions: specialty names,
 * conditions and cities. Names are not stored here; suggestions for names come from the inverted
 * index (see suggest.ts), so they cost no extra memory.
 */

import { tokenize } from './text';
import type { ProviderDoc, SuggestionKind } from './types';

export interface Phrase {
  text: string;
  kind: SuggestionKind;
  words: string[];
  count: number;
}

export class PhraseTable {
  private map = new Map<string, Phrase>();

  private bump(kind: SuggestionKind, text: string, delta: number): void {
    const key = `${kind}\u0000${text.toLowerCase()}`;
    const p = this.map.get(key);
    if (p) {
      p.count += delta;
      if (p.count <= 0) this.map.delete(key);
    } else if (delta > 0) {
      this.map.set(key, { text, kind, words: tokenize(text), count: delta });
    }
  }

  private each(doc: ProviderDoc, delta: number): void {
    for (const s of new Set(doc.specialtyNames)) this.bump('specialty', s, delta);
    for (const c of new Set(doc.conditions)) this.bump('condition', c, delta);
    if (doc.city) this.bump('city', doc.city, delta);
  }

  add(doc: ProviderDoc): void {
    this.each(doc, 1);
  }

  remove(doc: ProviderDoc): void {
    this.each(doc, -1);
  }

  all(): IterableIterator<Phrase> {
    return this.map.values();
  }
}
