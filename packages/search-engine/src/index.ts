export { type EngineStats, SearchEngine } from './engine';
export { FilterError } from './filter';
export { haversineKm } from './geo';
export { DEFAULT_SYNONYMS } from './synonyms';
export { markHighlights, normalizeWord, osaDistance, tokenize } from './text';
export * from './types';
