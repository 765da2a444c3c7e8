import type { ProviderDoc } from '../src/types';

export const NOW = Date.UTC(2025, 0, 6, 8, 0, 0);
export const DAY = 86_400_000;

export function doc(id: string, over: Partial<ProviderDoc>): ProviderDoc {
  return {
    id,
    name: `Provider ${id}`,
    kind: 'practitioner',
    specialties: [],
    specialtyNames: [],
    conditions: [],
    services: [],
    languages: ['en'],
    city: 'Berlin',
    insurance: [],
    gender: null,
    visitTypes: ['in_person'],
    acceptingNewPatients: true,
    priceMinCents: null,
    priceMaxCents: null,
    lat: 52.52,
    lon: 13.405,
    nextAvailableAt: null,
    ...over,
  };
}

export const BERLIN = { lat: 52.52, lon: 13.405 };
export const POTSDAM = { lat: 52.3906, lon: 13.0645 };
export const HAMBURG = { lat: 53.5511, lon: 9.9937 };
export const MUNICH = { lat: 48.1351, lon: 11.582 };

const derm = { specialties: ['dermatology'], specialtyNames: ['Dermatology'] };
const cardio = { specialties: ['cardiology'], specialtyNames: ['Cardiology'] };
const paed = { specialties: ['paediatrics'], specialtyNames: ['Paediatrics'] };

/** A small, hand-made corpus with known answers. */
export const CORPUS: ProviderDoc[] = [
  doc('d1', {
    name: 'Dr. Anna Müller',
    ...derm,
    conditions: ['Acne', 'Eczema'],
    services: ['Skin check'],
    languages: ['de', 'en'],
    insurance: ['AOK', 'TK'],
    gender: 'female',
    visitTypes: ['in_person', 'video'],
    priceMinCents: 5000,
    priceMaxCents: 9000,
    ...BERLIN,
    nextAvailableAt: NOW + 2 * 3_600_000,
  }),
  doc('d2', {
    name: 'Dr. Jonas Schmidt',
    ...derm,
    conditions: ['Psoriasis'],
    languages: ['de'],
    insurance: ['TK'],
    gender: 'male',
    city: 'Potsdam',
    ...POTSDAM,
    acceptingNewPatients: false,
    priceMinCents: 12000,
    priceMaxCents: 15000,
    nextAvailableAt: NOW + 5 * DAY,
  }),
  doc('d3', {
    name: 'Hautzentrum Hamburg',
    kind: 'clinic',
    ...derm,
    conditions: ['Acne', 'Skin cancer screening'],
    languages: ['de', 'en', 'tr'],
    insurance: ['AOK'],
    city: 'Hamburg',
    ...HAMBURG,
    visitTypes: ['video'],
    nextAvailableAt: NOW + 1 * DAY,
  }),
  doc('c1', {
    name: 'Dr. Leyla Yilmaz',
    ...cardio,
    conditions: ['Heart failure', 'Hypertension'],
    services: ['ECG'],
    languages: ['tr', 'de'],
    insurance: ['Barmer'],
    gender: 'female',
    lat: 52.5,
    lon: 13.45,
    priceMinCents: 8000,
    priceMaxCents: 8000,
    nextAvailableAt: NOW + 3 * DAY,
  }),
  doc('c2', {
    name: 'Herzpraxis München',
    kind: 'clinic',
    ...cardio,
    conditions: ['Arrhythmia'],
    city: 'Munich',
    ...MUNICH,
    insurance: ['AOK', 'Barmer'],
    visitTypes: ['in_person', 'video'],
    nextAvailableAt: null,
  }),
  doc('p1', {
    name: 'Dr. Sofia Rossi',
    ...paed,
    conditions: ['Asthma', 'Vaccinations'],
    languages: ['it', 'en', 'de'],
    insurance: ['TK', 'Barmer'],
    gender: 'nonbinary',
    lat: 52.53,
    lon: 13.38,
    visitTypes: ['video'],
    priceMinCents: 0,
    priceMaxCents: 0,
    nextAvailableAt: NOW + 10 * DAY,
  }),
  doc('g1', {
    name: 'Praxis Dr. Annabelle Weber',
    specialties: ['general_practice', 'dermatology'],
    specialtyNames: ['General practice', 'Dermatology'],
    conditions: ['Flu', 'Acne'],
    languages: ['de', 'fr'],
    insurance: ['AOK'],
    gender: 'female',
    city: 'Munich',
    lat: 48.14,
    lon: 11.56,
    nextAvailableAt: NOW + 12 * 3_600_000,
  }),
];
