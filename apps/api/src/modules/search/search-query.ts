import type { SearchRequest } from '@carebook/contracts';
import type { SearchFilters } from '@carebook/search-engine';
import type { FieldError } from '../../domain/errors';
import { DomainError } from '../../domain/errors';
import type { IndexQuery } from '../../ports/search-index';
import { toEngineGender, toEngineVisitType } from './search-doc';

const sortedUnique = <T extends string>(values: readonly T[] | undefined): T[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

function parseBbox(raw: string, errors: FieldError[]): IndexQuery['bbox'] {
  const parts = raw.split(',');
  const nums = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
    errors.push({ path: '/query/bbox', message: 'must be four numbers: minLon,minLat,maxLon,maxLat' });
    return undefined;
  }
  const [minLon, minLat, maxLon, maxLat] = nums as [number, number, number, number];
  if ([minLon, maxLon].some((x) => x < -180 || x > 180))
    errors.push({ path: '/query/bbox', message: 'longitudes must lie in [-180, 180]' });
  if ([minLat, maxLat].some((y) => y < -90 || y > 90))
    errors.push({ path: '/query/bbox', message: 'latitudes must lie in [-90, 90]' });
  if (minLat > maxLat) errors.push({ path: '/query/bbox', message: 'minLat must not exceed maxLat' });
  return { minLon, minLat, maxLon, maxLat };
}

/**
 * Checks what the schema cannot (combinations of parameters) and turns a request into the
 * port's query, normalised so that equal searches produce equal objects (the cache key).
 */
export function toIndexQuery(req: SearchRequest, now: number): IndexQuery {
  const errors: FieldError[] = [];
  const hasLat = req.lat !== undefined;
  const hasLon = req.lon !== undefined;
  if (hasLat !== hasLon)
    errors.push({
      path: hasLat ? '/query/lon' : '/query/lat',
      message: 'lat and lon must be given together',
    });
  const point = hasLat && hasLon;
  if (req.radiusKm !== undefined && !point)
    errors.push({ path: '/query/radiusKm', message: 'needs lat and lon' });
  if (req.sort === 'distance' && !point)
    errors.push({ path: '/query/sort', message: 'distance sort needs lat and lon' });
  if (req.priceMin !== undefined && req.priceMax !== undefined && req.priceMin > req.priceMax)
    errors.push({ path: '/query/priceMin', message: 'must not exceed priceMax' });
  const bbox = req.bbox === undefined ? undefined : parseBbox(req.bbox, errors);
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.path.slice('/query/'.length)} ${e.message}`).join('; '),
      { errors },
    );
  }
  const filters: SearchFilters = {};
  const specialties = sortedUnique(req.specialty);
  if (specialties) filters.specialties = specialties;
  const languages = sortedUnique(req.language);
  if (languages) filters.languages = languages;
  const insurance = sortedUnique(req.insurance);
  if (insurance) filters.insurance = insurance;
  const gender = sortedUnique(req.gender);
  if (gender) filters.gender = gender.map((g) => (g === 'unspecified' ? null : toEngineGender(g)));
  const visitTypes = sortedUnique(req.visitType);
  if (visitTypes) filters.visitTypes = visitTypes.map(toEngineVisitType);
  if (req.acceptingNewPatients !== undefined) filters.acceptingNewPatients = req.acceptingNewPatients;
  if (req.priceMin !== undefined) filters.priceMinCents = req.priceMin;
  if (req.priceMax !== undefined) filters.priceMaxCents = req.priceMax;
  if (req.availableBefore !== undefined) filters.availableBefore = Date.parse(req.availableBefore);
  if (req.availableWithinDays !== undefined) filters.availableWithinDays = req.availableWithinDays;
  if (req.minRating !== undefined) filters.minRating = req.minRating;
  const q = req.q?.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  // Assigned one by one, in this order (the key is its JSON): conditional spreads of fresh object
  // literals cost microseconds each, more than the rest of this function.
  const query = {} as IndexQuery;
  if (q) query.q = q;
  if (Object.keys(filters).length > 0) query.filters = filters;
  // Relative filters depend on now; minute resolution keeps such queries cacheable.
  query.now = Math.floor(now / 60_000) * 60_000;
  if (point) {
    const geo: NonNullable<IndexQuery['geo']> = { lat: req.lat as number, lon: req.lon as number };
    if (req.radiusKm !== undefined) geo.radiusKm = req.radiusKm;
    query.geo = geo;
  }
  if (bbox) query.bbox = bbox;
  query.sort = req.sort ?? 'relevance';
  query.page = req.page ?? 1;
  query.size = req.size ?? 20;
  return query;
}
