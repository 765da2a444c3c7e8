/**
 * The three engines behind one interface. Each is configured as a careful user would: the same
 * searchable fields and boosts, typo tolerance on, prefix on the last word, AND semantics,
 * filters/geo/facets through the library's own features where it has them.
 */

import { haversineKm, type ProviderDoc, SearchEngine } from '@carebook/search-engine';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import MiniSearch from 'minisearch';
import type { BenchQuery } from './queries';

export interface BenchEngine {
  /** Converts documents into the engine's input shape (done before the heap baseline). */
  prepare(docs: ProviderDoc[]): void;
  build(): Promise<void>;
  /** Ids of the first page (10). */
  query(q: BenchQuery): Promise<string[]>;
  /** Memory of an engine in another process (OpenSearch); absent: this process's heap. */
  memory?(): Promise<{ heap: number; external: number }>;
  destroy?(): Promise<void>;
}

const BOOST = {
  name: 3,
  specialtyNames: 2.5,
  conditions: 1.6,
  services: 1.2,
  city: 1.5,
  insuranceNames: 0.8,
};
const PAGE = 10;
const FACETS = true;

export class CarebookBench implements BenchEngine {
  private docs: ProviderDoc[] = [];
  private engine: SearchEngine | null = null;
  prepare(docs: ProviderDoc[]): void {
    this.docs = docs;
  }
  async build(): Promise<void> {
    this.engine = SearchEngine.build(this.docs, { synonyms: {} });
  }
  async query(q: BenchQuery): Promise<string[]> {
    const e = this.engine as SearchEngine;
    const r = e.search({
      q: q.text,
      size: PAGE,
      ...(q.geo ? { geo: q.geo, sort: 'distance' as const, facets: FACETS } : {}),
      ...(q.filters ? { filters: q.filters } : {}),
    });
    return r.hits.map((h) => h.id);
  }
}

const oramaSchema = {
  name: 'string',
  specialtyNames: 'string[]',
  conditions: 'string[]',
  services: 'string[]',
  city: 'string',
  insuranceNames: 'string[]',
  specialties: 'enum[]',
  languages: 'enum[]',
  insurance: 'enum[]',
  gender: 'enum',
  visitTypes: 'enum[]',
  accepting: 'boolean',
  priceMin: 'number',
  priceMax: 'number',
  nextAvailable: 'number',
  location: 'geopoint',
} as const;
const TEXT_PROPS = ['name', 'specialtyNames', 'conditions', 'services', 'city', 'insuranceNames'] as const;

export class OramaBench implements BenchEngine {
  private rows: Record<string, unknown>[] = [];
  private db: ReturnType<typeof create<typeof oramaSchema>> | null = null;
  prepare(docs: ProviderDoc[]): void {
    this.rows = docs.map((d) => {
      const row: Record<string, unknown> = {
        id: d.id,
        name: d.name,
        specialtyNames: d.specialtyNames,
        conditions: d.conditions,
        services: d.services,
        city: d.city,
        insuranceNames: d.insurance,
        specialties: d.specialties,
        languages: d.languages,
        insurance: d.insurance,
        gender: d.gender ?? 'unspecified',
        visitTypes: d.visitTypes,
        accepting: d.acceptingNewPatients,
        location: { lat: d.lat, lon: d.lon },
      };
      if (d.priceMinCents !== null) row.priceMin = d.priceMinCents;
      if (d.priceMaxCents !== null) row.priceMax = d.priceMaxCents;
      if (d.nextAvailableAt !== null) row.nextAvailable = d.nextAvailableAt;
      return row;
    });
  }
  async build(): Promise<void> {
    this.db = create({ schema: oramaSchema });
    await insertMultiple(this.db, this.rows as never, 1000);
  }
  async query(q: BenchQuery): Promise<string[]> {
    const db = this.db as NonNullable<typeof this.db>;
    const where: Record<string, unknown> = {};
    const f = q.filters ?? {};
    if (f.languages) where.languages = { containsAny: f.languages };
    if (f.insurance) where.insurance = { containsAny: f.insurance };
    if (f.visitTypes) where.visitTypes = { containsAny: f.visitTypes };
    if (f.acceptingNewPatients !== undefined) where.accepting = f.acceptingNewPatients;
    const params: Record<string, unknown> = {
      term: q.text,
      properties: [...TEXT_PROPS],
      boost: BOOST,
      tolerance: 1,
      // Orama's default threshold (1): results matching all words rank first. threshold 0
      // ("all words") drops every multi-word query with a typo, because it checks the typed token.
      limit: PAGE,
    };
    if (q.geo) {
      const { lat, lon, radiusKm } = q.geo;
      where.location = { radius: { coordinates: { lat, lon }, unit: 'km', value: radiusKm, inside: true } };
      params.facets = {
        specialties: {},
        languages: {},
        insurance: {},
        gender: {},
        visitTypes: {},
        accepting: { true: true, false: true },
      };
      const dist = (d: unknown) => {
        const loc = (d as { location: { lat: number; lon: number } }).location;
        return haversineKm(lat, lon, loc.lat, loc.lon);
      };
      params.sortBy = (a: [unknown, number, unknown], b: [unknown, number, unknown]) =>
        dist(a[2]) - dist(b[2]);
    }
    if (Object.keys(where).length > 0) params.where = where;
    const res = await oramaSearch(db, params as never);
    return res.hits.map((h) => String(h.id));
  }
}

interface MiniDoc {
  id: string;
  name: string;
  specialtyNames: string;
  conditions: string;
  services: string;
  city: string;
  insuranceNames: string;
  specialties: string[];
  languages: string[];
  insurance: string[];
  gender: string;
  visitTypes: string[];
  accepting: boolean;
  lat: number;
  lon: number;
}

export class MiniSearchBench implements BenchEngine {
  private rows: MiniDoc[] = [];
  private ms: MiniSearch<MiniDoc> | null = null;
  prepare(docs: ProviderDoc[]): void {
    this.rows = docs.map((d) => ({
      id: d.id,
      name: d.name,
      specialtyNames: d.specialtyNames.join(' | '),
      conditions: d.conditions.join(' | '),
      services: d.services.join(' | '),
      city: d.city,
      insuranceNames: d.insurance.join(' | '),
      specialties: d.specialties,
      languages: d.languages,
      insurance: d.insurance,
      gender: d.gender ?? 'unspecified',
      visitTypes: d.visitTypes,
      accepting: d.acceptingNewPatients,
      lat: d.lat,
      lon: d.lon,
    }));
  }
  async build(): Promise<void> {
    this.ms = new MiniSearch<MiniDoc>({
      fields: [...TEXT_PROPS],
      storeFields: [
        'specialties',
        'languages',
        'insurance',
        'gender',
        'visitTypes',
        'accepting',
        'lat',
        'lon',
      ],
      searchOptions: {
        boost: BOOST,
        combineWith: 'AND',
        fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false) as number,
        prefix: (_term, i, terms) => i === terms.length - 1,
      },
    });
    this.ms.addAll(this.rows);
  }
  async query(q: BenchQuery): Promise<string[]> {
    const ms = this.ms as MiniSearch<MiniDoc>;
    const f = q.filters ?? {};
    const g = q.geo;
    const any = (sel: string[] | undefined, vals: unknown) =>
      !sel || (vals as string[]).some((v) => sel.includes(v));
    const filter = (r: Record<string, unknown>) =>
      any(f.languages, r.languages) &&
      any(f.insurance, r.insurance) &&
      any(f.visitTypes, r.visitTypes) &&
      (f.acceptingNewPatients === undefined || r.accepting === f.acceptingNewPatients) &&
      (!g || haversineKm(g.lat, g.lon, r.lat as number, r.lon as number) <= g.radiusKm);
    const hasFilter = g !== undefined || Object.keys(f).length > 0;
    const results = ms.search(q.text === '' ? MiniSearch.wildcard : q.text, hasFilter ? { filter } : {});
    if (!g) return results.slice(0, PAGE).map((r) => String(r.id));
    // Facets and distance sort in user code: MiniSearch has neither.
    const facets = new Map<string, number>();
    const bump = (k: string) => facets.set(k, (facets.get(k) ?? 0) + 1);
    const withDist = results.map((r) => {
      for (const k of ['specialties', 'languages', 'insurance', 'visitTypes'] as const) {
        for (const v of r[k] as string[]) bump(`${k}:${v}`);
      }
      bump(`gender:${r.gender}`);
      bump(`accepting:${r.accepting}`);
      return { id: String(r.id), d: haversineKm(g.lat, g.lon, r.lat as number, r.lon as number) };
    });
    withDist.sort((a, b) => a.d - b.d);
    return withDist.slice(0, PAGE).map((x) => x.id);
  }
}

export function makeEngine(name: string): BenchEngine {
  if (name === 'carebook') return new CarebookBench();
  if (name === 'orama') return new OramaBench();
  if (name === 'minisearch') return new MiniSearchBench();
  throw new Error(`unknown engine ${name}`);
}
