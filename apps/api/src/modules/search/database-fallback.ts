import { specialties as specialtyVocabulary } from '@carebook/contracts';
import { haversineKm, type Suggestion } from '@carebook/search-engine';
import { type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { SearchFallback } from '../../adapters/resilience/guarded-search-index';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { RatingReader } from '../../ports/ratings';
import type { IndexHit, IndexQuery, IndexResult } from '../../ports/search-index';
import { docOf } from './indexer';
import { SEARCH_ROW_COLUMNS, SEARCH_SERVICE_COLUMNS, type SearchServiceRow } from './search-doc';

type Db = Kysely<InventoryDatabase>;
type Eb = ExpressionBuilder<InventoryDatabase, 'providers'>;

const EMPTY_FACETS = {
  specialty: {},
  language: {},
  insurance: {},
  gender: {},
  visitType: {},
  acceptingNewPatients: {},
};
const KM_PER_DEGREE_LAT = 111.2;

// `!` escapes LIKE wildcards the same way on SQLite (no default escape) and MariaDB.
const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
const like = (expr: RawBuilder<unknown>, pattern: string) => sql<SqlBool>`${expr} like ${pattern} escape '!'`;
const containsIn = (column: string, text: string) =>
  like(sql`lower(${sql.ref(column)})`, `%${escapeLike(text)}%`);
/** A JSON array column (`["a","b"]`) holding any of `values`. */
const jsonHasAny = (eb: Eb, column: 'specialties' | 'languages' | 'insurance', values: readonly string[]) =>
  eb.or(values.map((v) => like(sql.ref(column), `%${escapeLike(JSON.stringify(v))}%`)));

/**
 * Search answered from the inventory database while the search cluster is unreachable: the
 * plain filters (specialty, language, insurance, gender, visit type, new patients, price, place,
 * bounding box, radius, least rating) and a plain substring match of every word of `q` in the
 * name, city, conditions or specialty. No typo tolerance, no stemming, no relevance ranking
 * (results come by name, by distance or by rating), no facet counts, no highlights. Availability filters need the index's
 * precomputed next slots and are refused with 503 + Retry-After rather than answered wrongly.
 */
export class DatabaseSearchFallback implements SearchFallback {
  constructor(
    private readonly d: { db: Db; busy: BusyTimeReader; ratings: RatingReader; retryAfterSeconds: number },
  ) {}

  async search(query: IndexQuery): Promise<IndexResult> {
    const started = performance.now();
    const f = query.filters ?? {};
    if (f.availableBefore !== undefined || f.availableWithinDays !== undefined || query.sort === 'soonest')
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Searching by availability is unavailable right now; try again shortly or search without it.',
        { retryAfterSeconds: this.d.retryAfterSeconds },
      );
    const base = this.d.db.selectFrom('providers').where((eb) => eb.and(this.conditions(eb, query)));
    const offset = (query.page - 1) * query.size;
    let pageIds: { id: string; distanceKm: number | null }[];
    let total: number;
    const geo = query.geo;
    const rated =
      query.sort === 'rating' || f.minRating !== undefined ? await this.d.ratings.allRatings() : null;
    if (geo || rated) {
      // Light rows of every match, then the radius, the rating and the order here, then one page.
      const rows = await base.select(['id', 'name', 'latitude', 'longitude']).execute();
      const minRating = f.minRating;
      const measured = rows
        .map((r) => ({
          ...r,
          distanceKm: geo ? haversineKm(geo.lat, geo.lon, r.latitude, r.longitude) : null,
          rating: rated?.get(r.id) ?? null,
        }))
        .filter((r) => geo?.radiusKm === undefined || (r.distanceKm ?? 0) <= geo.radiusKm)
        // Averages have one decimal; the epsilon matches the engine's tenths (4.1 ≥ 4.1).
        .filter((r) => minRating === undefined || (r.rating !== null && r.rating.average >= minRating - 1e-9))
        .sort((a, b) => {
          if (query.sort === 'distance')
            return (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.id.localeCompare(b.id);
          if (query.sort === 'rating') {
            const byRating =
              (b.rating?.average ?? 0) - (a.rating?.average ?? 0) ||
              (b.rating?.count ?? 0) - (a.rating?.count ?? 0);
            if (byRating !== 0) return byRating;
          }
          return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
        });
      total = measured.length;
      pageIds = measured.slice(offset, offset + query.size);
    } else {
      const counted = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      total = Number(counted?.n ?? 0);
      const rows = await base
        .select('id')
        .orderBy('name')
        .orderBy('id')
        .limit(query.size)
        .offset(offset)
        .execute();
      pageIds = rows.map((r) => ({ id: r.id, distanceKm: null }));
    }
    const hits = await this.hits(pageIds, query.now);
    return {
      total,
      hits,
      facets: EMPTY_FACETS,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
      version: -1,
      degraded: true,
    };
  }

  /** Listing names that start with the prefix (no specialties, conditions or cities). */
  async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
    const rows = await this.d.db
      .selectFrom('providers')
      .select(['id', 'name'])
      .where('status', '=', 'published')
      .where(like(sql`lower(name)`, `${escapeLike(prefix.toLowerCase())}%`))
      .orderBy('name')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ text: r.name, kind: 'name' as const, count: 1, id: r.id }));
  }

  private conditions(eb: Eb, query: IndexQuery) {
    const f = query.filters ?? {};
    const where = [eb('status', '=', 'published')];
    for (const word of (query.q ?? '').split(' ').filter((w) => w.length > 0)) {
      const codes = specialtyVocabulary.filter((s) => s.name.toLowerCase().includes(word)).map((s) => s.code);
      where.push(
        eb.or([
          containsIn('name', word),
          containsIn('city', word),
          containsIn('conditions', word),
          ...(codes.length > 0 ? [jsonHasAny(eb, 'specialties', codes)] : []),
        ]),
      );
    }
    if (f.specialties) where.push(jsonHasAny(eb, 'specialties', f.specialties));
    if (f.languages) where.push(jsonHasAny(eb, 'languages', f.languages));
    if (f.insurance) where.push(jsonHasAny(eb, 'insurance', f.insurance));
    if (f.gender) {
      const named = f.gender.filter((g) => g !== null).map((g) => (g === 'nonbinary' ? 'non-binary' : g));
      where.push(
        eb.or([
          ...(named.length > 0 ? [eb('gender', 'in', named as ('female' | 'male' | 'non-binary')[])] : []),
          ...(f.gender.includes(null) ? [eb('gender', 'is', null)] : []),
        ]),
      );
    }
    if (f.visitTypes)
      where.push(
        eb.or(f.visitTypes.map((v) => containsIn('visit_types', v === 'video' ? 'video' : 'in-person'))),
      );
    if (f.acceptingNewPatients !== undefined)
      where.push(eb('accepting_new_patients', '=', f.acceptingNewPatients ? 1 : 0));
    const activePrices = (fn: 'min' | 'max') =>
      eb
        .selectFrom('provider_services')
        .select((s) => s.fn[fn]<number>('price_cents').as('p'))
        .whereRef('provider_services.provider_id', '=', 'providers.id')
        .where('active', '=', 1);
    if (f.priceMaxCents !== undefined) where.push(eb(activePrices('min'), '<=', f.priceMaxCents));
    if (f.priceMinCents !== undefined) where.push(eb(activePrices('max'), '>=', f.priceMinCents));
    const box = query.bbox;
    if (box) {
      where.push(eb('latitude', '>=', box.minLat), eb('latitude', '<=', box.maxLat));
      if (box.minLon <= box.maxLon)
        where.push(eb('longitude', '>=', box.minLon), eb('longitude', '<=', box.maxLon));
      else where.push(eb.or([eb('longitude', '>=', box.minLon), eb('longitude', '<=', box.maxLon)]));
    }
    const geo = query.geo;
    if (geo?.radiusKm !== undefined) {
      // A latitude band only (cheap and exact enough to narrow); the distance check is exact.
      const dLat = geo.radiusKm / KM_PER_DEGREE_LAT + 0.01;
      where.push(eb('latitude', '>=', geo.lat - dLat), eb('latitude', '<=', geo.lat + dLat));
    }
    return where;
  }

  private async hits(page: { id: string; distanceKm: number | null }[], now: number): Promise<IndexHit[]> {
    if (page.length === 0) return [];
    const ids = page.map((p) => p.id);
    const [rows, services, ratings] = await Promise.all([
      this.d.db.selectFrom('providers').select(SEARCH_ROW_COLUMNS).where('id', 'in', ids).execute(),
      this.d.db
        .selectFrom('provider_services')
        .select(SEARCH_SERVICE_COLUMNS)
        .where('provider_id', 'in', ids)
        .where('active', '=', 1)
        .execute(),
      this.d.ratings.ratingsOf(ids),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const hits: IndexHit[] = [];
    for (const p of page) {
      const row = byId.get(p.id);
      if (!row) continue;
      const own = services.filter((s): s is SearchServiceRow => s.provider_id === p.id);
      const doc = await docOf(row, own, this.d.busy, ratings.get(p.id) ?? null, now);
      hits.push({
        doc,
        score: 0,
        distanceKm: p.distanceKm,
        nextAvailableAt: doc.nextAvailableAt,
        highlights: [],
      });
    }
    return hits;
  }
}
