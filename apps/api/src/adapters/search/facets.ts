import { FACET_NAMES, type FacetCounts } from '@carebook/search-engine';

/** Every facet present (empty when nothing counted), with zero counts dropped. */
export function completeFacets(partial: Partial<FacetCounts>): FacetCounts {
  const out = {} as FacetCounts;
  for (const name of FACET_NAMES) {
    const counts: Record<string, number> = {};
    for (const [key, n] of Object.entries(partial[name] ?? {})) if (n > 0) counts[key] = n;
    out[name] = counts;
  }
  return out;
}
