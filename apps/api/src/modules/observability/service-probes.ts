import type { SearchRequest } from '@carebook/contracts';
import type { Services } from '../../container';
import { Children, HistogramChild } from './metric-children';
import type { Metrics } from './metrics';

/**
 * What kind of search this is, as a bounded label: text, geo and filter combined
 * (`text+geo`, `filter`, …), or `browse` for none of them.
 */
export function searchClass(req: SearchRequest): string {
  const parts: string[] = [];
  if (req.q?.trim()) parts.push('text');
  if (req.lat !== undefined || req.bbox !== undefined) parts.push('geo');
  const {
    q: _q,
    lat: _lat,
    lon: _lon,
    radiusKm: _r,
    bbox: _b,
    page: _p,
    size: _s,
    sort: _sort,
    ...filters
  } = req;
  if (Object.values(filters).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)))
    parts.push('filter');
  return parts.length ? parts.join('+') : 'browse';
}

/**
 * Times searches and suggestions and counts payment outcomes by wrapping the service instances'
 * methods: the routes call them through the same objects, so nothing else changes.
 */
export function probeServices(services: Services, metrics: Metrics): void {
  const search = services.search;
  const durations = new Children((labels) => new HistogramChild(metrics.searchDuration, labels));
  const duration = (cls: string) => durations.get(cls) ?? durations.add(cls, { class: cls });
  // `search` goes through `searchJson` too, so both are timed.
  const runSearch = search.searchJson.bind(search);
  search.searchJson = async (req, serialise, rawQuery) => {
    const series = duration(searchClass(req));
    const start = performance.now();
    try {
      return await runSearch(req, serialise, rawQuery);
    } finally {
      series.observeSince(start);
    }
  };
  const runSuggest = search.suggest.bind(search);
  search.suggest = async (req) => {
    const series = duration('suggest');
    const start = performance.now();
    try {
      return await runSuggest(req);
    } finally {
      series.observeSince(start);
    }
  };
  const payments = services.paymentEvents;
  const handle = payments.handle.bind(payments);
  payments.handle = async (event) => {
    try {
      const result = await handle(event);
      metrics.paymentOutcomes.inc({ type: event.type, result });
      return result;
    } catch (err) {
      metrics.paymentOutcomes.inc({ type: event.type, result: 'error' });
      throw err;
    }
  };
}
