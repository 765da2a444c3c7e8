import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  conditionSpecialties,
  isSpecialtyCode,
  layTermSynonyms,
  normaliseTerm,
  SpecialtyCode,
  specialties,
  specialtyByCode,
  specialtyCodes,
  spellingVariants,
} from './index';

const properWords = new Set([
  "Crohn's",
  "Parkinson's",
  "Dupuytren's",
  'Lyme',
  'Tourette',
  'PrEP',
  'X-ray',
  'B',
  'C',
]);

describe('specialty vocabulary', () => {
  it('has at least 70 specialties with unique kebab-case codes and unique names', () => {
    expect(specialties.length).toBeGreaterThanOrEqual(70);
    expect(new Set(specialtyCodes).size).toBe(specialties.length);
    expect(new Set(specialties.map((s) => s.name)).size).toBe(specialties.length);
    for (const code of specialtyCodes) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('gives every specialty a title, synonyms and conditions', () => {
    for (const s of specialties) {
      expect(s.name.length, s.code).toBeGreaterThan(2);
      expect(s.practitionerTitle.length, s.code).toBeGreaterThan(2);
      expect(s.synonyms.length, s.code).toBeGreaterThanOrEqual(3);
      expect(s.conditions.length, s.code).toBeGreaterThanOrEqual(3);
      expect(new Set(s.conditions).size, s.code).toBe(s.conditions.length);
      // Sentence case: lower-case words except acronyms and eponyms ("ADHD", "Crohn's disease").
      for (const c of s.conditions) {
        for (const word of c.split(' ')) {
          const ok = /^[a-z0-9][a-z0-9',-]*$/.test(word) || /^[A-Z]{2,}$/.test(word) || properWords.has(word);
          expect(ok, `${s.code}: "${c}"`).toBe(true);
        }
      }
    }
  });

  it('looks codes up and validates them with the schema', () => {
    expect(specialtyByCode('dermatology')?.practitionerTitle).toBe('Dermatologist');
    expect(specialtyByCode('pediatrics')).toBeUndefined();
    expect(isSpecialtyCode('cardiology')).toBe(true);
    expect(isSpecialtyCode('heart')).toBe(false);
    expect(Value.Check(SpecialtyCode, 'paediatrics')).toBe(true);
    expect(Value.Check(SpecialtyCode, 'pediatrics')).toBe(false);
    expect(Value.Check(SpecialtyCode, 42)).toBe(false);
  });

  it('maps every lay term to existing codes only, keyed by normalised phrases', () => {
    const terms = layTermSynonyms();
    const keys = Object.keys(terms);
    expect(keys.length).toBeGreaterThan(specialties.length * 4);
    for (const [phrase, codes] of Object.entries(terms)) {
      expect(phrase).toBe(normaliseTerm(phrase));
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(isSpecialtyCode(code), `${phrase} → ${code}`).toBe(true);
    }
    for (const s of specialties) {
      for (const synonym of s.synonyms) expect(terms[normaliseTerm(synonym)], synonym).toContain(s.code);
    }
  });

  it.each([
    ['skin doctor', 'dermatology'],
    ['kids doctor', 'paediatrics'],
    ["children's doctor", 'paediatrics'],
    ['childrens doctor', 'paediatrics'],
    ['pediatrician', 'paediatrics'],
    ['pediatrics', 'paediatrics'],
    ['paediatrics', 'paediatrics'],
    ['heart', 'cardiology'],
    ['heart doctor', 'cardiology'],
    ['family doctor', 'general-practice'],
    ['GP', 'general-practice'],
    ['dentist', 'dentistry'],
    ['physical therapy', 'physiotherapy'],
    ['eye doctor', 'ophthalmology'],
    ['optician', 'optometry'],
    ['ear nose throat', 'ent'],
    ['Ear, Nose and Throat', 'ent'],
    ['bone doctor', 'orthopaedics'],
    ['orthopedics', 'orthopaedics'],
    ['orthopaedics', 'orthopaedics'],
    ['orthopedic surgeon', 'orthopaedics'],
    ['gynecology', 'obstetrics-gynaecology'],
    ['gynaecologist', 'obstetrics-gynaecology'],
    ['Ob/Gyn', 'obstetrics-gynaecology'],
    ['hematologist', 'haematology'],
    ['anesthesiologist', 'anaesthesiology'],
    ['counseling', 'counselling'],
    ['therapist', 'psychology'],
    ['shrink for kids', undefined],
  ])('"%s" → %s', (phrase, code) => {
    const codes = layTermSynonyms()[normaliseTerm(phrase)];
    if (code === undefined) expect(codes).toBeUndefined();
    else expect(codes).toContain(code);
  });

  it('generates US and UK spelling variants and folds accents and punctuation', () => {
    expect(spellingVariants('Paediatrician')).toEqual(
      expect.arrayContaining(['paediatrician', 'pediatrician']),
    );
    expect(spellingVariants('pediatric dentist')).toContain('paediatric dentist');
    expect(spellingVariants('speech therapy')).toEqual(['speech therapy']);
    expect(spellingVariants('counselor')).toContain('counsellor');
    expect(spellingVariants('hematology')).toContain('haematology');
    expect(normaliseTerm('  Orthopäde ')).toBe('orthopade');
    expect(normaliseTerm('Ob/Gyn')).toBe('ob gyn');
  });

  it('maps conditions to the specialties that list them', () => {
    const conditions = conditionSpecialties();
    expect(conditions.eczema).toEqual(['dermatology']);
    expect(conditions['back pain']).toEqual(
      expect.arrayContaining(['general-practice', 'physiotherapy', 'chiropractic']),
    );
    expect(conditions.anemia).toEqual(expect.arrayContaining(['haematology', 'internal-medicine']));
  });
});
