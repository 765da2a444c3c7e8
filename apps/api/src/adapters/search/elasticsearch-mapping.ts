import type { estypes } from '@elastic/elasticsearch';
import type { SearchDoc } from '../../ports/search-index';

/** Text fields and their boosts, the same as the embedded engine's. */
export const TEXT_BOOSTS = [
  'name^3',
  'specialtyNames^2.5',
  'specialtyTerms^2.5',
  'conditions^1.6',
  'services^1.2',
  'city^1.5',
  'insurance^0.8',
];

export const INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  analysis: {
    analyzer: {
      folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
    },
  },
};

const text = (extra: Record<string, estypes.MappingProperty> = {}): estypes.MappingProperty => ({
  type: 'text',
  analyzer: 'folded',
  fields: { raw: { type: 'keyword', ignore_above: 256 }, ...extra },
});

export const MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    name: text({ sayt: { type: 'search_as_you_type', analyzer: 'folded' } }),
    kind: { type: 'keyword' },
    specialties: { type: 'keyword' },
    specialtyNames: text(),
    specialtyTerms: { type: 'text', analyzer: 'folded' },
    conditions: text(),
    services: { type: 'text', analyzer: 'folded' },
    languages: { type: 'keyword' },
    city: text(),
    insurance: text(),
    gender: { type: 'keyword' },
    visitTypes: { type: 'keyword' },
    acceptingNewPatients: { type: 'boolean' },
    priceMinCents: { type: 'long' },
    priceMaxCents: { type: 'long' },
    lat: { type: 'double', index: false },
    lon: { type: 'double', index: false },
    location: { type: 'geo_point' },
    nextAvailableAt: { type: 'date', format: 'epoch_millis' },
    photoThumbnail: { type: 'keyword', index: false },
    // A float holds a one-decimal average; range queries parse their bound as a float too.
    rating: { properties: { average: { type: 'float' }, count: { type: 'integer' } } },
  },
};

/** The stored form: the document plus a geo_point and the vocabulary phrases of its specialties. */
export type EsSource = SearchDoc & { location: { lat: number; lon: number }; specialtyTerms: string[] };

/** Every synonym phrase (lay terms, titles) that names one of the document's specialties. */
export function toSource(doc: SearchDoc, phrasesByCode: ReadonlyMap<string, string[]>): EsSource {
  const terms = new Set<string>();
  for (const code of doc.specialties) for (const p of phrasesByCode.get(code) ?? []) terms.add(p);
  return { ...doc, location: { lat: doc.lat, lon: doc.lon }, specialtyTerms: [...terms] };
}

export function fromSource(source: EsSource): SearchDoc {
  const { location: _l, specialtyTerms: _t, ...doc } = source;
  return { ...doc, rating: doc.rating ?? null };
}

/** Inverts phrase → codes into code → phrases. */
export function phrasesByCode(synonyms: Record<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [phrase, codes] of Object.entries(synonyms))
    for (const code of codes) out.set(code, [...(out.get(code) ?? []), phrase]);
  return out;
}
