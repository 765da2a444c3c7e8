/**
 * Filters and multi-select facets. Hard filters (geo, bbox, price, availability) drop a document.
 * Facet filters (specialty, language, insurance, gender, visit type, accepting) each set one bit
 * of a fail mask: a document with mask 0 is a result and counts in every facet; a document that
 * fails exactly one facet filter counts only in that facet. One pass gives "every filter but its
 * own" for all facets at once.
 */

import {
  type Columns,
  GENDER_KEYS,
  genderCode,
  type MultiColumn,
  ROW,
  ROW_FLAGS,
  ROW_INSURANCE,
  ROW_LANGUAGE,
  ROW_SPECIALTY,
  VISIT_TYPES,
} from './columns';
import { EARTH_RADIUS_KM, haversineKm, lonInside, maxKmToCell, minKmToCell, radiusBounds } from './geo';
import type { BoundingBox, FacetCounts, FacetName, SearchQuery } from './types';
import { FACET_NAMES } from './types';

const DAY_MS = 86_400_000;
const RAD = Math.PI / 180;
const HALF_RAD = RAD / 2;
const F_SPECIALTY = 1;
const F_LANGUAGE = 2;
const F_INSURANCE = 4;
const F_GENDER = 8;
const F_VISIT = 16;
const F_ACCEPT = 32;
const FACET_BIT: Record<FacetName, number> = {
  specialty: F_SPECIALTY,
  language: F_LANGUAGE,
  insurance: F_INSURANCE,
  gender: F_GENDER,
  visitType: F_VISIT,
  acceptingNewPatients: F_ACCEPT,
};

export class FilterError extends Error {}

/**
 * Selected value ids of a multi-valued column, or null when unfiltered: a bit mask against the
 * doc rows when the dictionary fits one, else a lookup table for the CSR lists.
 */
interface Selection {
  mask: number;
  table: Uint8Array | null;
}

function selection(col: MultiColumn, values: readonly string[] | undefined): Selection | null {
  if (!values || values.length === 0) return null;
  const table = new Uint8Array(Math.max(1, col.values.length));
  let mask = 0;
  for (const v of values) {
    const id = col.valueId(v);
    if (id === undefined) continue;
    table[id] = 1;
    if (id < 32) mask |= 1 << id;
  }
  return { mask, table: col.masked ? null : table };
}

function anySelected(col: MultiColumn, rowMask: number, doc: number, sel: Selection): boolean {
  const table = sel.table;
  if (!table) return (rowMask & sel.mask) !== 0;
  const o = col.offs[doc] ?? 0;
  const end = o + (col.cnt[doc] ?? 0);
  for (let i = o; i < end; i++) if (table[col.pool[i] ?? 0] === 1) return true;
  return false;
}

export class CompiledFilter {
  private spec: Selection | null;
  private lang: Selection | null;
  private ins: Selection | null;
  private genderSel = 0;
  private visitSel = 0;
  private accept: number;
  private priceLo: number;
  private priceHi: number;
  private readonly hasPrice: boolean;
  private availBefore: number;
  /** Least average rating in tenths (0: no rating filter). */
  private minTenths: number;
  private geo: {
    lat: number;
    lon: number;
    radius: number;
    /** cos(lat) of the centre and sin²(radius / 2R): the haversine test without asin and sqrt. */
    cosLat: number;
    hav: number;
    minLat: number;
    maxLat: number;
    minLon: number;
    maxLon: number;
  } | null = null;
  private bbox: SearchQuery['bbox'] | null;
  /** True when distances must be computed (geo point given). */
  readonly hasPoint: boolean;

  constructor(
    private readonly cols: Columns,
    query: SearchQuery,
  ) {
    const f = query.filters ?? {};
    this.spec = selection(cols.specialty, f.specialties);
    this.lang = selection(cols.language, f.languages);
    this.ins = selection(cols.insurance, f.insurance);
    if (f.gender && f.gender.length > 0) for (const g of f.gender) this.genderSel |= 1 << genderCode(g);
    if (f.visitTypes && f.visitTypes.length > 0) {
      for (const v of f.visitTypes) {
        const i = VISIT_TYPES.indexOf(v);
        if (i >= 0) this.visitSel |= 1 << i;
      }
      if (this.visitSel === 0) this.visitSel = 0x100; // only unknown types selected: nothing matches
    }
    this.accept = f.acceptingNewPatients === undefined ? -1 : f.acceptingNewPatients ? 1 : 0;
    this.priceLo = f.priceMinCents ?? Number.NEGATIVE_INFINITY;
    this.priceHi = f.priceMaxCents ?? Number.POSITIVE_INFINITY;
    this.hasPrice = f.priceMinCents !== undefined || f.priceMaxCents !== undefined;
    let before = f.availableBefore ?? Number.POSITIVE_INFINITY;
    if (f.availableWithinDays !== undefined) {
      if (query.now === undefined) throw new FilterError('availableWithinDays requires query.now');
      before = Math.min(before, query.now + f.availableWithinDays * DAY_MS);
    }
    this.availBefore = before;
    // Averages are stored in tenths; the epsilon keeps 4.1 (40.99999… · 10) at 41.
    this.minTenths = f.minRating === undefined ? 0 : Math.max(1, Math.ceil(f.minRating * 10 - 1e-9));
    if (query.geo) {
      const { lat, lon, radiusKm } = query.geo;
      const cosLat = Math.cos(lat * RAD);
      const half = Math.sin(Math.min(Math.PI / 2, (radiusKm ?? 0) / (2 * EARTH_RADIUS_KM)));
      this.geo =
        radiusKm === undefined
          ? {
              lat,
              lon,
              radius: Number.POSITIVE_INFINITY,
              cosLat,
              hav: 1,
              minLat: -90,
              maxLat: 90,
              minLon: -180,
              maxLon: 180,
            }
          : { lat, lon, radius: radiusKm, cosLat, hav: half * half, ...radiusBounds(lat, lon, radiusKm) };
    }
    this.hasPoint = query.geo !== undefined;
    this.bbox = query.bbox ?? null;
  }

  /** The tightest box implied by the radius and/or the map box, or null when neither is set. */
  searchBox(): BoundingBox | null {
    const g = this.geo && this.geo.radius !== Number.POSITIVE_INFINITY ? this.geo : null;
    const b = this.bbox;
    if (!g) return b ?? null;
    if (!b || b.minLon > b.maxLon)
      return { minLat: g.minLat, maxLat: g.maxLat, minLon: g.minLon, maxLon: g.maxLon };
    return {
      minLat: Math.max(g.minLat, b.minLat),
      maxLat: Math.min(g.maxLat, b.maxLat),
      minLon: Math.max(g.minLon, b.minLon),
      maxLon: Math.min(g.maxLon, b.maxLon),
    };
  }

  /** True when no filter of any kind is set (a geo point alone only adds distances). */
  get isEmpty(): boolean {
    return (
      !this.spec &&
      !this.lang &&
      !this.ins &&
      this.genderSel === 0 &&
      this.visitSel === 0 &&
      this.accept === -1 &&
      !this.hasPrice &&
      this.availBefore === Number.POSITIVE_INFINITY &&
      this.minTenths === 0 &&
      !this.bbox &&
      !this.hasRadius
    );
  }

  /** True when a radius limits the results. */
  get hasRadius(): boolean {
    return this.geo !== null && this.geo.radius !== Number.POSITIVE_INFINITY;
  }

  /** Hard filters other than the radius: price, availability, rating, map box. */
  passesNonGeo(doc: number): boolean {
    const c = this.cols;
    if (this.minTenths !== 0 && (c.ratingTenths[doc] ?? 0) < this.minTenths) return false;
    if (this.hasPrice) {
      const lo = c.priceMin[doc] ?? Number.NaN;
      const hi = c.priceMax[doc] ?? Number.NaN;
      if (!(lo <= this.priceHi && hi >= this.priceLo)) return false;
    }
    if (
      this.availBefore !== Number.POSITIVE_INFINITY &&
      !((c.nextAvail[doc] ?? Number.NaN) <= this.availBefore)
    ) {
      return false;
    }
    const bb = this.bbox;
    if (bb) {
      const lat = c.pos[doc * 4] ?? 0;
      const lon = c.pos[doc * 4 + 1] ?? 0;
      if (!(lat >= bb.minLat && lat <= bb.maxLat && lonInside(lon, bb.minLon, bb.maxLon))) return false;
    }
    return true;
  }

  /** The radius filter (true without one); computes and caches the distance when it has to. */
  inRadius(doc: number, dist: Float64Array, stamp: Uint32Array, epoch: number): boolean {
    const g = this.geo;
    if (!g || g.radius === Number.POSITIVE_INFINITY) return true;
    const c = this.cols;
    const lat = c.pos[doc * 4] ?? 0;
    const lon = c.pos[doc * 4 + 1] ?? 0;
    if (lat < g.minLat || lat > g.maxLat || !lonInside(lon, g.minLon, g.maxLon)) return false;
    // The haversine term a (distance = 2R·asin(√a)) against its value at the radius; only a doc
    // within rounding distance of the circle takes the full formula, so the answer is the same.
    const s1 = Math.sin((lat - g.lat) * HALF_RAD);
    const s2 = Math.sin((lon - g.lon) * HALF_RAD);
    const a = s1 * s1 + g.cosLat * Math.cos(lat * RAD) * s2 * s2;
    if (a < g.hav * (1 - 1e-9)) return true;
    if (a > g.hav * (1 + 1e-9)) return false;
    const d = haversineKm(g.lat, g.lon, lat, lon);
    dist[doc] = d;
    stamp[doc] = epoch;
    return d <= g.radius;
  }

  /** Distance of the doc from the query point (cached in `dist` under `epoch`). */
  distance(doc: number, dist: Float64Array, stamp: Uint32Array, epoch: number): number {
    if (stamp[doc] === epoch) return dist[doc] ?? 0;
    const g = this.geo;
    const pos = this.cols.pos;
    const d = g ? haversineKm(g.lat, g.lon, pos[doc * 4] ?? 0, pos[doc * 4 + 1] ?? 0) : 0;
    dist[doc] = d;
    stamp[doc] = epoch;
    return d;
  }

  /**
   * How a grid cell relates to the radius: 0 wholly outside, 2 wholly inside (no per-doc test
   * needed), 1 on the edge. Margins keep the answer consistent with the per-doc haversine.
   */
  cellClass(minLat: number, maxLat: number, minLon: number, maxLon: number): 0 | 1 | 2 {
    const g = this.geo;
    if (!g || g.radius === Number.POSITIVE_INFINITY) return 2;
    if (minKmToCell(g.lat, g.lon, minLat, maxLat, minLon, maxLon) * (1 - 1e-9) > g.radius) return 0;
    if (maxKmToCell(g.lat, g.lon, minLat, maxLat, minLon, maxLon) * (1 + 1e-9) < g.radius) return 2;
    return 1;
  }

  /** A lower bound of the distance from the query point to the cell (0 without a point). */
  cellMinKm(minLat: number, maxLat: number, minLon: number, maxLon: number): number {
    const g = this.geo;
    return g ? minKmToCell(g.lat, g.lon, minLat, maxLat, minLon, maxLon) * (1 - 1e-9) : 0;
  }

  /** Bit per failed facet filter (0 = passes them all). */
  failMask(doc: number): number {
    const c = this.cols;
    const row = c.row;
    const r = doc * ROW;
    let m = 0;
    if (this.spec && !anySelected(c.specialty, row[r + ROW_SPECIALTY] ?? 0, doc, this.spec)) m |= F_SPECIALTY;
    if (this.lang && !anySelected(c.language, row[r + ROW_LANGUAGE] ?? 0, doc, this.lang)) m |= F_LANGUAGE;
    if (this.ins && !anySelected(c.insurance, row[r + ROW_INSURANCE] ?? 0, doc, this.ins)) m |= F_INSURANCE;
    const flags = row[r + ROW_FLAGS] ?? 0;
    if (this.genderSel !== 0 && ((this.genderSel >>> ((flags >>> 4) & 3)) & 1) === 0) m |= F_GENDER;
    if (this.visitSel !== 0 && (this.visitSel & ((flags >>> 2) & 3)) === 0) m |= F_VISIT;
    if (this.accept !== -1 && ((flags >>> 1) & 1) !== this.accept) m |= F_ACCEPT;
    return m;
  }
}

/** Facet accumulators over dictionary ids. */
export class FacetCounter {
  private spec: Uint32Array;
  private lang: Uint32Array;
  private ins: Uint32Array;
  private gender = new Uint32Array(4);
  private visit = new Uint32Array(2);
  private accept = new Uint32Array(2);
  private wanted: number;
  /** Facet bits of the columns whose row masks hold every value. */
  private masked: number;

  constructor(
    private readonly cols: Columns,
    facets: readonly FacetName[],
  ) {
    this.spec = new Uint32Array(cols.specialty.values.length);
    this.lang = new Uint32Array(cols.language.values.length);
    this.ins = new Uint32Array(cols.insurance.values.length);
    this.wanted = facets.reduce((m, f) => m | FACET_BIT[f], 0);
    this.masked =
      (cols.specialty.masked ? F_SPECIALTY : 0) |
      (cols.language.masked ? F_LANGUAGE : 0) |
      (cols.insurance.masked ? F_INSURANCE : 0);
  }

  /** Counts `doc` in every requested facet whose bit is allowed (mask 0 → all, one bit → that one). */
  add(doc: number, failMask: number): void {
    const allow = failMask === 0 ? this.wanted : failMask & this.wanted;
    if (allow === 0 || (failMask & (failMask - 1)) !== 0) return;
    const c = this.cols;
    const row = c.row;
    const r = doc * ROW;
    if (allow & F_SPECIALTY) {
      if (this.masked & F_SPECIALTY) countBits(row[r + ROW_SPECIALTY] ?? 0, this.spec);
      else countMulti(c.specialty, doc, this.spec);
    }
    if (allow & F_LANGUAGE) {
      if (this.masked & F_LANGUAGE) countBits(row[r + ROW_LANGUAGE] ?? 0, this.lang);
      else countMulti(c.language, doc, this.lang);
    }
    if (allow & F_INSURANCE) {
      if (this.masked & F_INSURANCE) countBits(row[r + ROW_INSURANCE] ?? 0, this.ins);
      else countMulti(c.insurance, doc, this.ins);
    }
    const flags = row[r + ROW_FLAGS] ?? 0;
    if (allow & F_GENDER) inc(this.gender, (flags >>> 4) & 3);
    if (allow & F_VISIT) {
      if (flags & 4) inc(this.visit, 0);
      if (flags & 8) inc(this.visit, 1);
    }
    if (allow & F_ACCEPT) inc(this.accept, (flags >>> 1) & 1);
  }

  result(): Partial<FacetCounts> {
    const out: Partial<FacetCounts> = {};
    const c = this.cols;
    for (const f of FACET_NAMES) {
      if ((this.wanted & FACET_BIT[f]) === 0) continue;
      if (f === 'specialty') out[f] = nonZero(c.specialty.values, this.spec);
      else if (f === 'language') out[f] = nonZero(c.language.values, this.lang);
      else if (f === 'insurance') out[f] = nonZero(c.insurance.values, this.ins);
      else if (f === 'gender') out[f] = nonZero(GENDER_KEYS, this.gender);
      else if (f === 'visitType') out[f] = nonZero(VISIT_TYPES, this.visit);
      else out[f] = nonZero(ACCEPT_KEYS, this.accept);
    }
    return out;
  }
}

const ACCEPT_KEYS = ['false', 'true'] as const;

/** The non-zero counts by key, in dictionary order. */
function nonZero(keys: readonly string[], counts: Uint32Array): Record<string, number> {
  const rec: Record<string, number> = {};
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n !== 0) rec[keys[i] ?? ''] = n;
  }
  return rec;
}

function inc(a: Uint32Array, i: number): void {
  a[i] = (a[i] ?? 0) + 1;
}

function countBits(mask: number, counts: Uint32Array): void {
  for (let m = mask; m !== 0; m &= m - 1) {
    const v = 31 - Math.clz32(m & -m);
    counts[v] = (counts[v] ?? 0) + 1;
  }
}

function countMulti(col: MultiColumn, doc: number, counts: Uint32Array): void {
  const o = col.offs[doc] ?? 0;
  const end = o + (col.cnt[doc] ?? 0);
  for (let i = o; i < end; i++) {
    const v = col.pool[i] ?? 0;
    counts[v] = (counts[v] ?? 0) + 1;
  }
}
