import type { City } from './cities';
import {
  type ClinicNaming,
  type ClinicProfile,
  englishPlaceWords,
  frenchPlaceWords,
  germanPlaceWords,
  indianPlaceWords,
  spanishPlaceWords,
} from './clinics';
import { type NameLocale, namePools } from './names';
import type { Rng } from './prng';
import { type SpecialtyCode, specialtyByCode } from './vocabulary';

export type Gender = 'female' | 'male' | 'non-binary';

/** Which professional title a practitioner of a specialty carries before their name. */
type TitleKind = 'physician' | 'dentist' | 'psychologist' | 'chiropractor' | 'none';

const untitled: ReadonlySet<SpecialtyCode> = new Set<SpecialtyCode>([
  'dental-hygiene',
  'counselling',
  'midwifery',
  'lactation-consulting',
  'audiology',
  'physiotherapy',
  'occupational-therapy',
  'speech-therapy',
  'podiatry',
  'osteopathy',
  'nutrition-dietetics',
  'massage-therapy',
  'acupuncture',
  'diabetes-education',
]);

function titleKind(code: SpecialtyCode): TitleKind {
  if (untitled.has(code)) return 'none';
  if (code === 'psychology' || code === 'neuropsychology' || code === 'psychotherapy') return 'psychologist';
  if (code === 'chiropractic' || code === 'optometry') return 'chiropractor';
  if (specialtyByCode(code)?.category === 'dental') return 'dentist';
  return 'physician';
}

function doctorPrefix(locale: NameLocale, gender: Gender): string {
  switch (locale) {
    case 'en-US':
    case 'en-CA':
    case 'en-IN':
      return 'Dr. ';
    case 'en-GB':
    case 'en-AU':
    case 'fr-FR':
      return 'Dr ';
    case 'fr-CA':
      return gender === 'female' ? 'Dre ' : 'Dr ';
    case 'es-ES':
      return gender === 'female' ? 'Dra. ' : gender === 'male' ? 'Dr. ' : '';
    case 'de-DE':
      return 'Dr. med. ';
  }
}

function titlePrefix(rng: Rng, locale: NameLocale, gender: Gender, kind: TitleKind): string {
  switch (kind) {
    case 'none':
      return '';
    case 'physician':
      if (locale === 'de-DE') return rng.chance(0.65) ? 'Dr. med. ' : '';
      return doctorPrefix(locale, gender);
    case 'dentist':
      if (locale === 'de-DE') return rng.chance(0.55) ? 'Dr. med. dent. ' : '';
      return doctorPrefix(locale, gender);
    case 'psychologist':
      if (locale === 'de-DE') return rng.chance(0.5) ? 'Dipl.-Psych. ' : '';
      return rng.chance(0.4) ? doctorPrefix(locale, gender) : '';
    case 'chiropractor':
      return (locale === 'en-US' || locale === 'en-CA' || locale === 'en-AU') && rng.chance(0.85)
        ? doctorPrefix(locale, gender)
        : '';
  }
}

export interface PersonName {
  /** As displayed, with any professional title: "Dr. Amelia Hart". */
  readonly display: string;
  readonly first: string;
  readonly last: string;
  /** Heritage language suggested by the surname, if any. */
  readonly heritage: string | undefined;
}

export function personName(
  rng: Rng,
  locale: NameLocale,
  gender: Gender,
  specialty: SpecialtyCode,
): PersonName {
  const pool = namePools[locale];
  const firsts = gender === 'female' ? pool.female : gender === 'male' ? pool.male : pool.unisex;
  const first = rng.pick(firsts);
  const s1 = rng.pick(pool.surnames);
  let last = s1.name;
  let heritage = s1.language as string | undefined;
  if (pool.doubleSurname) {
    let s2 = rng.pick(pool.surnames);
    if (s2.name === s1.name) s2 = rng.pick(pool.surnames);
    if (s2.name !== s1.name) {
      last = `${s1.name} ${s2.name}`;
      heritage ??= s2.language;
    }
  }
  const prefix = titlePrefix(rng, locale, gender, titleKind(specialty));
  return { display: `${prefix}${first} ${last}`, first, last, heritage };
}

export function namingFamily(locale: NameLocale): ClinicNaming {
  if (locale === 'de-DE') return 'de';
  if (locale === 'es-ES') return 'es';
  if (locale === 'fr-FR' || locale === 'fr-CA') return 'fr';
  return 'en';
}

const US_SPELLING: Readonly<Record<string, string>> = {
  Centre: 'Center',
  centre: 'center',
  aediatric: 'ediatric',
  rthopaedic: 'rthopedic',
  ynaecolog: 'ynecolog',
  ounsell: 'ounsel',
  Harbour: 'Harbor',
  aematolog: 'ematolog',
  naesthet: 'nesthet',
  practising: 'practicing',
};
const US_PATTERN = new RegExp(Object.keys(US_SPELLING).join('|'), 'g');

/** British → American spelling for text shown for US providers. */
export function americanise(text: string): string {
  return text.replace(US_PATTERN, (m) => US_SPELLING[m] ?? m);
}

const placeWords: Readonly<Record<ClinicNaming, readonly string[]>> = {
  en: englishPlaceWords,
  de: germanPlaceWords,
  es: spanishPlaceWords,
  fr: frenchPlaceWords,
};

/**
 * A clinic name in the local style — "Riverside Family Clinic", "Zahnarztpraxis Schwabing",
 * "Clínica Dental Chamberí", "Centre médical Pasteur" — and the neighbourhood it names, if any.
 */
export function clinicName(
  rng: Rng,
  city: City,
  profile: ClinicProfile,
): { name: string; neighbourhood?: string } {
  const family = namingFamily(city.names);
  const noun = rng.pick(profile.nouns[family]);
  const useNeighbourhood = rng.chance(family === 'en' ? 0.5 : 0.6);
  const words = city.names === 'en-IN' ? indianPlaceWords : placeWords[family];
  const place = useNeighbourhood ? rng.pick(city.neighbourhoods) : rng.pick(words);
  const name = family === 'en' ? `${place} ${noun}` : `${noun} ${place}`;
  const shown = city.names === 'en-US' ? americanise(name) : name;
  return useNeighbourhood ? { name: shown, neighbourhood: place } : { name: shown };
}

/** Lower-case ASCII slug: "Dra. Lucía García" → "dra-lucia-garcia". */
export function slugify(text: string): string {
  const ascii = /^[\x20-\x7e]*$/.test(text);
  return (ascii ? text : text.normalize('NFD'))
    .replace(/['’]/g, '')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
