import type { IndexQuery, SearchDoc } from '../../src/ports/search-index';

export const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const HOUR = 3_600_000;

const base: SearchDoc = {
  id: '',
  name: '',
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
  priceMinCents: 5000,
  priceMaxCents: 9000,
  lat: 52.52,
  lon: 13.405,
  nextAvailableAt: null,
  photoThumbnail: null,
};

const doc = (over: Partial<SearchDoc> & Pick<SearchDoc, 'id' | 'name'>): SearchDoc => ({ ...base, ...over });

/** A small, hand-checked corpus: three Berlin dermatologists at known distances, and others. */
export const contractDocs = (): SearchDoc[] => [
  doc({
    id: 'derm-mitte',
    name: 'Anna Schmidt',
    specialties: ['dermatology'],
    specialtyNames: ['Dermatology'],
    conditions: ['eczema', 'acne'],
    services: ['Skin check'],
    languages: ['de', 'en'],
    insurance: ['AOK'],
    gender: 'female',
    lat: 52.52,
    lon: 13.405,
    nextAvailableAt: NOW + 30 * HOUR,
    photoThumbnail: 'photos/derm-mitte/thumb.webp',
  }),
  doc({
    id: 'derm-spandau',
    name: 'Jonas Weber',
    specialties: ['dermatology'],
    specialtyNames: ['Dermatology'],
    conditions: ['psoriasis'],
    services: ['Skin check'],
    languages: ['de'],
    insurance: ['TK'],
    gender: 'male',
    lat: 52.535,
    lon: 13.2,
    nextAvailableAt: NOW + 2 * HOUR,
  }),
  doc({
    id: 'derm-potsdam',
    name: 'Dermatology Centre Potsdam',
    kind: 'clinic',
    specialties: ['dermatology', 'allergy-immunology'],
    specialtyNames: ['Dermatology', 'Allergy and Immunology'],
    conditions: ['eczema', 'hay fever'],
    services: ['Allergy test'],
    languages: ['de', 'en', 'fr'],
    city: 'Potsdam',
    insurance: ['AOK', 'TK'],
    visitTypes: ['in_person', 'video'],
    acceptingNewPatients: false,
    priceMinCents: 15000,
    priceMaxCents: 30000,
    lat: 52.39,
    lon: 13.065,
    nextAvailableAt: NOW + 200 * HOUR,
  }),
  doc({
    id: 'cardio-berlin',
    name: 'Herz Praxis Berlin',
    kind: 'clinic',
    specialties: ['cardiology'],
    specialtyNames: ['Cardiology'],
    conditions: ['hypertension'],
    services: ['ECG'],
    insurance: ['AOK'],
    lat: 52.5,
    lon: 13.4,
    nextAvailableAt: NOW + 5 * HOUR,
  }),
  doc({
    id: 'paed-munich',
    name: 'Lena Schmitt',
    specialties: ['paediatrics'],
    specialtyNames: ['Paediatrics'],
    conditions: ['vaccinations'],
    services: ['Check-up'],
    city: 'Munich',
    gender: 'female',
    visitTypes: ['video'],
    priceMinCents: 0,
    priceMaxCents: 0,
    lat: 48.137,
    lon: 11.575,
  }),
];

export const query = (over: Partial<IndexQuery> = {}): IndexQuery => ({
  now: NOW,
  sort: 'relevance',
  page: 1,
  size: 20,
  ...over,
});

export const BERLIN = { lat: 52.52, lon: 13.405 };
