import type { SearchResponse } from '@carebook/contracts';
import { specialtyByCode } from '@carebook/contracts';
import type { FacetCounts } from '@carebook/search-engine';
import type { IndexHit, IndexResult } from '../../ports/search-index';
import { fromEngineGender, fromEngineVisitType } from './search-doc';

type Item = SearchResponse['results'][number];

function renameKeys(counts: Record<string, number>, rename: (k: string) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in counts) out[rename(k)] = counts[k] as number;
  return out;
}

function toFacets(f: FacetCounts): SearchResponse['facets'] {
  return {
    specialty: f.specialty,
    language: f.language,
    insurance: f.insurance,
    gender: renameKeys(f.gender, fromEngineGender),
    visitType: renameKeys(f.visitType, fromEngineVisitType),
    acceptingNewPatients: f.acceptingNewPatients,
  };
}

const ISO_MAX = 4096;
/**
 * ISO texts of next-slot times already written: slots sit on a grid, so a few hundred instants
 * recur across every result list (and `toISOString` is the dearest step of a result). Emptied
 * when full.
 */
const isoOf = new Map<number, string>();

function iso(ms: number): string {
  let text = isoOf.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoOf.size >= ISO_MAX) isoOf.clear();
    isoOf.set(ms, text);
  }
  return text;
}

function toItem({ doc, distanceKm, nextAvailableAt, highlights }: IndexHit): Item {
  const specialties: Item['specialties'] = new Array(doc.specialties.length);
  for (let i = 0; i < doc.specialties.length; i++) {
    const code = doc.specialties[i] as string;
    specialties[i] = { code, name: doc.specialtyNames[i] ?? specialtyByCode(code)?.name ?? code };
  }
  const marks: Item['highlights'] = new Array(highlights.length);
  for (let i = 0; i < highlights.length; i++) {
    const { field, index, value, offsets } = highlights[i] as IndexHit['highlights'][number];
    marks[i] = { field, index, value, offsets };
  }
  return {
    id: doc.id,
    name: doc.name,
    kind: doc.kind,
    specialties,
    city: doc.city,
    acceptingNewPatients: doc.acceptingNewPatients,
    distanceKm: distanceKm === null ? null : Math.round(distanceKm * 100) / 100,
    nextAvailableAt: nextAvailableAt === null ? null : iso(nextAvailableAt),
    highlights: marks,
    photoThumbnail: doc.photoThumbnail ?? null,
    rating:
      doc.rating && doc.rating.count > 0 ? { average: doc.rating.average, count: doc.rating.count } : null,
  };
}

/**
 * The response for an index result: exactly the schema's properties in the order its serializer
 * writes them, so the body is `JSON.stringify` of it (search-json.ts).
 */
export function toResponse(r: IndexResult, page: number, size: number): SearchResponse {
  const results: Item[] = new Array(r.hits.length);
  for (let i = 0; i < r.hits.length; i++) results[i] = toItem(r.hits[i] as IndexHit);
  return { results, facets: toFacets(r.facets), total: r.total, page, size, tookMs: r.tookMs };
}
