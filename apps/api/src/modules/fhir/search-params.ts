import { DomainError } from '../../domain/errors';
import type { FhirResource } from './fhir-types';

export const DEFAULT_COUNT = 20;

export interface Range {
  /** Inclusive lower bound (epoch ms). */
  from?: number;
  /** Exclusive upper bound (epoch ms). */
  to?: number;
}

const DATE =
  /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?)$/;

/** The instants a FHIR date value covers: a day is the whole UTC day, an instant itself. */
function span(value: string): { lo: number; hi: number } {
  if (/^\d{4}$/.test(value)) return { lo: Date.UTC(+value, 0, 1), hi: Date.UTC(+value + 1, 0, 1) };
  if (/^\d{4}-\d{2}$/.test(value)) {
    const [y, m] = value.split('-').map(Number) as [number, number];
    return { lo: Date.UTC(y, m - 1, 1), hi: Date.UTC(y, m, 1) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const lo = Date.parse(`${value}T00:00:00Z`);
    return { lo, hi: lo + 86_400_000 };
  }
  const at = Date.parse(/Z|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
  return { lo: at, hi: at + 1 };
}

/** Turns `start=ge2026-11-25&start=lt2026-11-26T12:00:00Z` into one range; `ne`, `sa`, `eb`, `ap` are refused. */
export function dateRange(values: string | string[] | undefined, param: string): Range {
  const range: Range = {};
  for (const raw of values === undefined ? [] : [values].flat()) {
    const m = DATE.exec(raw);
    const prefix = m?.[1] ?? 'eq';
    const value = m?.[2];
    const s = value ? span(value) : null;
    if (!s || Number.isNaN(s.lo) || !['eq', 'gt', 'lt', 'ge', 'le'].includes(prefix)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `${param}=${raw} is not a supported date search (use ge, gt, le, lt or eq).`,
        {
          errors: [{ path: `/query/${param}`, message: 'must be [ge|gt|le|lt|eq]<date or dateTime>' }],
        },
      );
    }
    const lower = (v: number) => (range.from = Math.max(range.from ?? v, v));
    const upper = (v: number) => (range.to = Math.min(range.to ?? v, v));
    if (prefix === 'ge') lower(s.lo);
    else if (prefix === 'gt') lower(s.hi);
    else if (prefix === 'lt') upper(s.lo);
    else if (prefix === 'le') upper(s.hi);
    else {
      lower(s.lo);
      upper(s.hi);
    }
  }
  return range;
}

/** A token parameter `[system|]code`, or a reference `[Type/]id`: the part that identifies. */
export const tokenCode = (value: string) => value.slice(value.lastIndexOf('|') + 1);
export const referenceId = (value: string) => value.slice(value.lastIndexOf('/') + 1);

export interface SearchPage {
  count: number;
  offset: number;
}

export const pageOf = (q: { _count?: number | undefined; _offset?: number | undefined }): SearchPage => ({
  count: q._count ?? DEFAULT_COUNT,
  offset: q._offset ?? 0,
});

/**
 * A `searchset` Bundle of one page. `self` and `next` repeat the request's own parameters with a
 * new `_offset`, so a client follows `next` until there is none.
 */
export function searchBundle(
  requestUrl: string,
  baseUrl: string,
  page: SearchPage,
  total: number,
  resources: FhirResource[],
  included: FhirResource[] = [],
): FhirResource {
  const link = (offset: number) => {
    const url = new URL(requestUrl, baseUrl);
    url.searchParams.set('_count', String(page.count));
    url.searchParams.set('_offset', String(offset));
    return url.toString();
  };
  const entry = [
    ...resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
    ...included.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'include' },
    })),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [
      { relation: 'self', url: link(page.offset) },
      ...(page.offset + page.count < total && page.count > 0
        ? [{ relation: 'next', url: link(page.offset + page.count) }]
        : []),
      ...(page.offset > 0
        ? [{ relation: 'previous', url: link(Math.max(0, page.offset - page.count)) }]
        : []),
    ],
    ...(entry.length ? { entry } : {}),
  };
}
