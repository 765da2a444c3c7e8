import { type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import { spellingVariants } from './normalise';
import { alliedSpecialties } from './specialties-allied';
import { medicalSpecialties } from './specialties-medical';
import { surgicalSpecialties } from './specialties-surgical';
import type { SpecialtyDefinition } from './specialty-types';

export type { SpecialtyCategory, SpecialtyDefinition } from './specialty-types';

/** The controlled specialty vocabulary, in a stable order. */
export const specialties = [...medicalSpecialties, ...surgicalSpecialties, ...alliedSpecialties] as const;

export type SpecialtyCode = (typeof specialties)[number]['code'];

/** A vocabulary entry whose code is known to be one of `SpecialtyCode`. */
export type Specialty = SpecialtyDefinition & { readonly code: SpecialtyCode };

export const specialtyCodes: readonly SpecialtyCode[] = specialties.map((s) => s.code);

/** Schema for a specialty code: a union of string literals (`anyOf` of `const` in JSON Schema). */
export const SpecialtyCode = Type.Union(
  specialtyCodes.map((code) => Type.Literal(code)),
  { title: 'SpecialtyCode', description: 'Code from the controlled specialty vocabulary' },
) as TUnion<TLiteral<SpecialtyCode>[]>;

const byCode: ReadonlyMap<string, Specialty> = new Map(specialties.map((s) => [s.code, s as Specialty]));

export function isSpecialtyCode(value: unknown): value is SpecialtyCode {
  return typeof value === 'string' && byCode.has(value);
}

/** The vocabulary entry for a code, or undefined for an unknown code. */
export function specialtyByCode(code: string): Specialty | undefined {
  return byCode.get(code);
}

function addPhrase(out: Map<string, Set<SpecialtyCode>>, phrase: string, code: SpecialtyCode): void {
  for (const variant of spellingVariants(phrase)) {
    let codes = out.get(variant);
    if (!codes) {
      codes = new Set();
      out.set(variant, codes);
    }
    codes.add(code);
  }
}

function freeze(map: Map<string, Set<SpecialtyCode>>): Record<string, SpecialtyCode[]> {
  const out: Record<string, SpecialtyCode[]> = {};
  for (const key of [...map.keys()].sort()) {
    const codes = map.get(key);
    if (codes) out[key] = [...codes].sort();
  }
  return out;
}

/**
 * Every phrase that names a specialty → the codes it stands for. Keys are normalised with
 * `normaliseTerm` (lower-case, no diacritics, punctuation as single spaces) and cover each
 * specialty's code (hyphens as spaces), name, practitioner title and synonyms, each in its
 * British and American spelling (`spellingVariants`). A phrase can name several specialties
 * ("therapist" → counselling, psychology, psychotherapy); codes are sorted. Look a query up with
 * `layTermSynonyms()[normaliseTerm(query)]`. A fresh object is returned on every call.
 */
export function layTermSynonyms(): Record<string, SpecialtyCode[]> {
  const out = new Map<string, Set<SpecialtyCode>>();
  for (const s of specialties) {
    addPhrase(out, s.code, s.code);
    addPhrase(out, s.name, s.code);
    addPhrase(out, s.practitionerTitle, s.code);
    for (const synonym of s.synonyms) addPhrase(out, synonym, s.code);
  }
  return freeze(out);
}

/**
 * Every condition in the vocabulary (normalised, with spelling variants) → the specialties that
 * list it, so "eczema" → dermatology and "back pain" → general practice, physiotherapy, ….
 */
export function conditionSpecialties(): Record<string, SpecialtyCode[]> {
  const out = new Map<string, Set<SpecialtyCode>>();
  for (const s of specialties) for (const condition of s.conditions) addPhrase(out, condition, s.code);
  return freeze(out);
}
