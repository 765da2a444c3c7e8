/**
 * Column store for filters, facets, sorting and geo: typed arrays indexed by internal doc id.
 * Multi-valued attributes (specialties, languages, insurance) use a CSR layout: per doc an offset +
 * count into one shared Uint16Array pool of value ids. For the filter/facet loop, which visits
 * documents in no useful memory order, each doc also has one 32-byte record in one buffer:
 * `[lat, lon]` (Float64, view `pos`) then `[specialty mask, language mask, insurance mask, flags]`
 * (Uint32, view `row`; bit i = value id i, for the first 32 values of a dictionary), so a document
 * costs one cache line instead of ten.
 */

import type { Gender, ProviderDoc, VisitType } from './types';

export const GENDERS: readonly (Gender | null)[] = [null, 'female', 'male', 'nonbinary'];
export const GENDER_KEYS = ['unspecified', 'female', 'male', 'nonbinary'] as const;
export const VISIT_TYPES: readonly VisitType[] = ['in_person', 'video'];

export function genderCode(g: Gender | null): number {
  const i = GENDERS.indexOf(g);
  return Math.max(0, i);
}

export function visitMask(types: readonly VisitType[]): number {
  let m = 0;
  for (const t of types) {
    const i = VISIT_TYPES.indexOf(t);
    if (i >= 0) m |= 1 << i;
  }
  return m;
}

/** An average rating (1–5) in whole tenths, as the column stores it (1 at least for any rating). */
export function ratingTenths(average: number): number {
  return Math.min(50, Math.max(1, Math.round(average * 10)));
}

/** Values per dictionary that fit a row mask; larger dictionaries use the CSR lists. */
export const MASK_VALUES = 32;
/** Record of doc d: Float64 `pos[d * 4]` lat, `pos[d * 4 + 1]` lon; Uint32 `row[d * ROW + ROW_…]`. */
export const ROW = 8;
export const ROW_SPECIALTY = 4;
export const ROW_LANGUAGE = 5;
export const ROW_INSURANCE = 6;
export const ROW_FLAGS = 7;
const RECORD_BYTES = 32;

/** A dictionary-encoded multi-valued column. */
export class MultiColumn {
  private dict = new Map<string, number>();
  readonly values: string[] = [];
  offs: Uint32Array;
  cnt: Uint8Array;
  pool = new Uint16Array(1024);
  poolLen = 0;
  private garbage = 0;

  constructor(capacity: number) {
    this.offs = new Uint32Array(capacity);
    this.cnt = new Uint8Array(capacity);
  }

  valueId(v: string): number | undefined {
    return this.dict.get(v);
  }

  /** True when every value id fits a row mask. */
  get masked(): boolean {
    return this.values.length <= MASK_VALUES;
  }

  /** Row mask of the doc's values (ids below MASK_VALUES). */
  maskOf(doc: number): number {
    let m = 0;
    const o = this.offs[doc] ?? 0;
    const end = o + (this.cnt[doc] ?? 0);
    for (let i = o; i < end; i++) {
      const v = this.pool[i] ?? 0;
      if (v < MASK_VALUES) m |= 1 << v;
    }
    return m;
  }

  grow(capacity: number): void {
    const o = new Uint32Array(capacity);
    o.set(this.offs);
    this.offs = o;
    const c = new Uint8Array(capacity);
    c.set(this.cnt);
    this.cnt = c;
  }

  set(doc: number, vals: readonly string[]): void {
    const ids: number[] = [];
    for (const v of vals) {
      let id = this.dict.get(v);
      if (id === undefined) {
        id = this.values.length;
        this.dict.set(v, id);
        this.values.push(v);
      }
      if (!ids.includes(id) && ids.length < 255) ids.push(id);
    }
    const old = this.cnt[doc] ?? 0;
    if (ids.length <= old) {
      const at = this.offs[doc] ?? 0;
      for (let i = 0; i < ids.length; i++) this.pool[at + i] = ids[i] ?? 0;
      this.garbage += old - ids.length;
    } else {
      this.garbage += old;
      if (this.poolLen + ids.length > this.pool.length) this.reserve(this.poolLen + ids.length);
      this.offs[doc] = this.poolLen;
      for (let i = 0; i < ids.length; i++) this.pool[this.poolLen + i] = ids[i] ?? 0;
      this.poolLen += ids.length;
    }
    this.cnt[doc] = ids.length;
  }

  clear(doc: number): void {
    this.garbage += this.cnt[doc] ?? 0;
    this.cnt[doc] = 0;
  }

  /** Rewrites the pool without holes once more than half of it is garbage. */
  maybeCompact(docCount: number): void {
    if (this.garbage * 2 <= this.poolLen) return;
    const pool = new Uint16Array(Math.max(1024, this.poolLen - this.garbage));
    let at = 0;
    for (let d = 0; d < docCount; d++) {
      const c = this.cnt[d] ?? 0;
      const o = this.offs[d] ?? 0;
      pool.set(this.pool.subarray(o, o + c), at);
      this.offs[d] = at;
      at += c;
    }
    this.pool = pool;
    this.poolLen = at;
    this.garbage = 0;
  }

  private reserve(n: number): void {
    const p = new Uint16Array(Math.max(n, Math.ceil(this.pool.length * 1.5)));
    p.set(this.pool.subarray(0, this.poolLen));
    this.pool = p;
  }

  trim(): void {
    if (this.pool.length > this.poolLen) this.pool = this.pool.slice(0, Math.max(1, this.poolLen));
  }
}

/** Fixed-width numeric columns. Null numbers are stored as NaN. */
export class Columns {
  capacity: number;
  /** Latitude and longitude of doc d at [4d] and [4d + 1] (same buffer as `row`). */
  pos: Float64Array;
  /** Value masks and flags of doc d at [d * ROW + ROW_…] (see the module comment). */
  row: Uint32Array;
  priceMin: Float64Array;
  priceMax: Float64Array;
  nextAvail: Float64Array;
  /** Average rating in tenths (10–50), 0 when the listing has no visible review. */
  ratingTenths: Uint8Array;
  /** Number of visible reviews. */
  ratingCount: Uint32Array;
  /** bit0 alive, bit1 acceptingNewPatients, bits2-3 visit type mask, bits4-5 gender code. */
  flags: Uint8Array;
  readonly specialty: MultiColumn;
  readonly language: MultiColumn;
  readonly insurance: MultiColumn;

  constructor(capacity: number) {
    this.capacity = capacity;
    const records = new ArrayBuffer(capacity * RECORD_BYTES);
    this.pos = new Float64Array(records);
    this.row = new Uint32Array(records);
    this.priceMin = new Float64Array(capacity);
    this.priceMax = new Float64Array(capacity);
    this.nextAvail = new Float64Array(capacity);
    this.ratingTenths = new Uint8Array(capacity);
    this.ratingCount = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.specialty = new MultiColumn(capacity);
    this.language = new MultiColumn(capacity);
    this.insurance = new MultiColumn(capacity);
  }

  ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, Math.ceil(this.capacity * 1.5), 16);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const records = new ArrayBuffer(cap * RECORD_BYTES);
    new Uint32Array(records).set(this.row);
    this.pos = new Float64Array(records);
    this.row = new Uint32Array(records);
    this.priceMin = f64(this.priceMin);
    this.priceMax = f64(this.priceMax);
    this.nextAvail = f64(this.nextAvail);
    const fl = new Uint8Array(cap);
    fl.set(this.flags);
    this.flags = fl;
    const rt = new Uint8Array(cap);
    rt.set(this.ratingTenths);
    this.ratingTenths = rt;
    const rc = new Uint32Array(cap);
    rc.set(this.ratingCount);
    this.ratingCount = rc;
    this.specialty.grow(cap);
    this.language.grow(cap);
    this.insurance.grow(cap);
    this.capacity = cap;
  }

  set(doc: number, d: ProviderDoc): void {
    this.pos[doc * 4] = d.lat;
    this.pos[doc * 4 + 1] = d.lon;
    this.priceMin[doc] = d.priceMinCents ?? Number.NaN;
    this.priceMax[doc] = d.priceMaxCents ?? d.priceMinCents ?? Number.NaN;
    if (d.priceMinCents === null && d.priceMaxCents !== null) this.priceMin[doc] = d.priceMaxCents;
    this.nextAvail[doc] = d.nextAvailableAt ?? Number.NaN;
    const rated = d.rating && d.rating.count > 0 ? d.rating : null;
    this.ratingTenths[doc] = rated ? ratingTenths(rated.average) : 0;
    this.ratingCount[doc] = rated ? rated.count : 0;
    this.flags[doc] =
      1 | (d.acceptingNewPatients ? 2 : 0) | (visitMask(d.visitTypes) << 2) | (genderCode(d.gender) << 4);
    this.specialty.set(doc, d.specialties);
    this.language.set(doc, d.languages);
    this.insurance.set(doc, d.insurance);
    this.row[doc * ROW + ROW_SPECIALTY] = this.specialty.maskOf(doc);
    this.row[doc * ROW + ROW_LANGUAGE] = this.language.maskOf(doc);
    this.row[doc * ROW + ROW_INSURANCE] = this.insurance.maskOf(doc);
    this.row[doc * ROW + ROW_FLAGS] = this.flags[doc] ?? 0;
  }

  clear(doc: number): void {
    this.flags[doc] = 0;
    this.ratingTenths[doc] = 0;
    this.ratingCount[doc] = 0;
    this.row.fill(0, doc * ROW + ROW_SPECIALTY, doc * ROW + ROW);
    this.specialty.clear(doc);
    this.language.clear(doc);
    this.insurance.clear(doc);
  }

  alive(doc: number): boolean {
    return ((this.flags[doc] ?? 0) & 1) === 1;
  }

  compact(docCount: number): void {
    this.specialty.maybeCompact(docCount);
    this.language.maybeCompact(docCount);
    this.insurance.maybeCompact(docCount);
  }

  trim(): void {
    this.specialty.trim();
    this.language.trim();
    this.insurance.trim();
  }
}
