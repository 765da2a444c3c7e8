export { type City, cities } from './cities';
export { type CountryCode, type Currency, countries } from './countries';
export {
  type AddressDraft,
  DEMO_SEED,
  type Gender,
  type GenerateOptions,
  generateProvider,
  generateProviders,
  iterateProviders,
  type ProviderDraft,
  type ProviderKind,
  type ServiceDraft,
  type VisitType,
} from './generate';
export { type Interval, toMinutes, type Weekday, type WeeklyHours, weekdays } from './hours';
export { mulberry32, Rng } from './prng';
export { buildEverydayQueries, type EverydayForm, type EverydayQuery } from './relevance-everyday';
export {
  buildRelevanceSet,
  defaultRelevanceSet,
  RELEVANCE_SET_COUNT,
  type RelevanceKind,
  type RelevanceQuery,
  type RelevanceSet,
  type SpecialtyIntentQuery,
} from './relevance-set';
