/** Broad grouping of a specialty; used for facets, clinic coherence and demo data. */
export type SpecialtyCategory =
  | 'primary-care'
  | 'medical'
  | 'surgical'
  | 'womens-health'
  | 'childrens-health'
  | 'mental-health'
  | 'dental'
  | 'eye-and-ear'
  | 'rehabilitation'
  | 'allied-health'
  | 'diagnostic'
  | 'complementary';

/** One entry of the controlled specialty vocabulary. */
export interface SpecialtyDefinition {
  /** Stable machine code, lower-case kebab-case, British spelling (e.g. `paediatrics`). */
  readonly code: string;
  /** Display name of the field (e.g. `Paediatrics`). */
  readonly name: string;
  /** What a practitioner of the field is called (e.g. `Paediatrician`). */
  readonly practitionerTitle: string;
  readonly category: SpecialtyCategory;
  /**
   * Other ways people search for the field: professional variants, US spellings and lay terms
   * ("skin doctor"). Matching is case-insensitive; see `layTermSynonyms`.
   */
  readonly synonyms: readonly string[];
  /** Common conditions or reasons for a visit that the field treats, lower-case. */
  readonly conditions: readonly string[];
}
