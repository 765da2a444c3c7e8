/**
 * The mutable index: documents, inverted index, columns, field statistics and suggestion
 * phrases, kept consistent by `upsert` and `remove`, each O(terms of one document · log postings).
 */

import { Columns } from './columns';
import { GeoGrid } from './grid';
import { Impacts } from './impact';
import { PhraseTable } from './phrases';
import { FIELD_BITS, TermIndex, TF_MAX } from './postings';
import { codeTerm, DEFAULT_SYNONYMS, SynonymTable } from './synonyms';
import { tokenize } from './text';
import { buildTier, TIER_MIN_DF } from './tiers';
import { type EngineOptions, FIELD_COUNT, type ProviderDoc, TEXT_FIELDS, type TextField } from './types';

export const SPECIALTY_FIELD = TEXT_FIELDS.indexOf('specialties');

const DEFAULT_BOOSTS: Record<TextField, number> = {
  name: 3,
  specialties: 2.5,
  conditions: 1.6,
  services: 1.2,
  languages: 0.5,
  city: 1.5,
  insurance: 0.8,
};

/** Tokens of each text field of a document, specialties including their codes. */
export function fieldTokens(doc: ProviderDoc): string[][] {
  const spec = doc.specialtyNames.flatMap(tokenize);
  for (const t of doc.specialties.flatMap(tokenize)) if (!spec.includes(t)) spec.push(t);
  return [
    tokenize(doc.name),
    spec,
    doc.conditions.flatMap(tokenize),
    doc.services.flatMap(tokenize),
    doc.languages.flatMap(tokenize),
    tokenize(doc.city),
    doc.insurance.flatMap(tokenize),
  ];
}

export class IndexState {
  readonly terms = new TermIndex();
  readonly cols: Columns;
  readonly docs: (ProviderDoc | undefined)[] = [];
  readonly idMap = new Map<string, number>();
  readonly phrases = new PhraseTable();
  readonly grid = new GeoGrid();
  readonly synonyms: SynonymTable;
  /** Term id of a single-word synonym key → specialty codes. */
  readonly synonymTerms = new Map<number, string[]>();
  readonly boosts: Float64Array;
  readonly k1: number;
  readonly b: number;
  private free: number[] = [];
  /** Field lengths in tokens, clamped to 255: doc * FIELD_COUNT + field. */
  fieldLen: Uint8Array;
  readonly fieldLenSum = new Float64Array(FIELD_COUNT);
  live = 0;
  version = 0;
  /** The impacts of the version they were computed for (a write moves the averages they use). */
  private currentImpacts: { version: number; impacts: Impacts } | null = null;

  constructor(options: EngineOptions = {}) {
    this.synonyms = new SynonymTable(options.synonyms ?? DEFAULT_SYNONYMS);
    this.boosts = Float64Array.from(TEXT_FIELDS, (f) => options.boosts?.[f] ?? DEFAULT_BOOSTS[f]);
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.cols = new Columns(1024);
    this.fieldLen = new Uint8Array(1024 * FIELD_COUNT);
    for (const [word, codes] of this.synonyms.words) this.synonymTerms.set(this.terms.intern(word), codes);
  }

  /**
   * BM25F impacts of the index as it is: a pure function of the field-length statistics, so they
   * are computed once per version instead of once per scored search.
   */
  get impacts(): Impacts {
    const cur = this.currentImpacts;
    if (cur && cur.version === this.version) return cur.impacts;
    const impacts = new Impacts(this);
    this.currentImpacts = { version: this.version, impacts };
    return impacts;
  }

  /** Number of internal doc slots (live and free). */
  get slots(): number {
    return this.docs.length;
  }

  upsert(doc: ProviderDoc): void {
    let id = this.idMap.get(doc.id);
    if (id !== undefined) this.unindex(id);
    else {
      id = this.free.pop() ?? this.docs.length;
      if (id === this.docs.length) this.docs.push(undefined);
      this.idMap.set(doc.id, id);
      this.ensure(id + 1);
    }
    this.index(id, doc);
    this.version++;
  }

  remove(externalId: string): boolean {
    const id = this.idMap.get(externalId);
    if (id === undefined) return false;
    this.unindex(id);
    this.idMap.delete(externalId);
    this.free.push(id);
    this.cols.compact(this.docs.length);
    this.version++;
    return true;
  }

  /** Releases spare capacity after a bulk load and chooses the champions of long posting lists. */
  trim(): void {
    this.terms.trimAll();
    this.cols.trim();
    this.grid.trim();
    const impacts = this.impacts;
    for (const pl of this.terms.postings) pl.tier = pl.len >= TIER_MIN_DF ? buildTier(pl, impacts) : null;
  }

  private ensure(n: number): void {
    this.cols.ensure(n);
    if (n * FIELD_COUNT > this.fieldLen.length) {
      const next = new Uint8Array(this.cols.capacity * FIELD_COUNT);
      next.set(this.fieldLen);
      this.fieldLen = next;
    }
  }

  private index(id: number, doc: ProviderDoc): void {
    const tokens = fieldTokens(doc);
    const tf = new Map<number, number>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const list = tokens[f] ?? [];
      const len = Math.min(255, list.length);
      this.fieldLen[id * FIELD_COUNT + f] = len;
      this.fieldLenSum[f] = (this.fieldLenSum[f] ?? 0) + len;
      const shift = f * FIELD_BITS;
      for (const w of list) {
        const t = this.terms.intern(w);
        const word = tf.get(t) ?? 0;
        const cur = (word >>> shift) & TF_MAX;
        if (cur < TF_MAX) tf.set(t, word + (1 << shift));
      }
    }
    const specShift = SPECIALTY_FIELD * FIELD_BITS;
    for (const code of doc.specialties) tf.set(this.terms.intern(codeTerm(code), true), 1 << specShift);
    for (const [t, word] of tf) {
      const pl = this.terms.postings[t];
      if (!pl) continue;
      pl.put(id, word >>> 0);
      pl.tier?.admit(id, word >>> 0, this.fieldLen);
    }
    this.cols.set(id, doc);
    this.grid.add(id, doc.lat, doc.lon);
    this.docs[id] = doc;
    this.phrases.add(doc);
    this.live++;
  }

  private unindex(id: number): void {
    const doc = this.docs[id];
    if (!doc) return;
    const tokens = fieldTokens(doc);
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.fieldLenSum[f] = (this.fieldLenSum[f] ?? 0) - (this.fieldLen[id * FIELD_COUNT + f] ?? 0);
      this.fieldLen[id * FIELD_COUNT + f] = 0;
      for (const w of tokens[f] ?? []) {
        const t = this.terms.id(w);
        if (t !== undefined) this.terms.postings[t]?.remove(id);
      }
    }
    for (const code of doc.specialties) {
      const t = this.terms.id(codeTerm(code));
      if (t !== undefined) this.terms.postings[t]?.remove(id);
    }
    this.cols.clear(id);
    this.grid.remove(id, doc.lat, doc.lon);
    this.phrases.remove(doc);
    this.docs[id] = undefined;
    this.live--;
  }
}
