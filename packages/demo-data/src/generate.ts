import { addressLine, jitter, postcode } from './address';
import { clinicBio, practitionerBio } from './bio';
import { type City, cities } from './cities';
import { type ClinicProfile, clinicProfiles } from './clinics';
import { type CountryCode, type Currency, countries } from './countries';
import { type WeeklyHours, weekdays, weeklyHours } from './hours';
import { insuranceFor } from './insurance-choice';
import { americanise, clinicName, type Gender, personName, slugify } from './naming';
import { mixSeed, Rng, WeightedTable } from './prng';
import { type Mode, pickServices, slotInterval } from './service-drafts';
import { practitionerWeights, secondarySpecialties } from './specialty-weights';
import {
  isLanguageCode,
  type LanguageCode,
  languageNames,
  type SpecialtyCategory,
  type SpecialtyCode,
  specialties,
  specialtyByCode,
} from './vocabulary';

export type VisitType = 'in-person' | 'video';
export type ProviderKind = 'practitioner' | 'clinic';
export type { Gender } from './naming';

export interface ServiceDraft {
  name: string;
  durationMinutes: number;
  /** Minor units; 0 means free to the patient (e.g. covered by a public scheme). */
  priceCents: number;
  currency: Currency;
  visitType: VisitType;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface AddressDraft {
  line1: string;
  city: string;
  /** State, province or nation: the ISO 3166-2 subdivision suffix (NY, ON, ENG, BY …). */
  region: string;
  postcode: string;
  /** ISO 3166-1 alpha-2. */
  country: CountryCode;
}

/** A provider listing as a seed script would create it; ids are left to the caller. */
export interface ProviderDraft {
  /** Unique, stable, URL-safe: name, city and the generator index ("amelia-hart-boston-17"). */
  key: string;
  name: string;
  kind: ProviderKind;
  specialties: SpecialtyCode[];
  conditions: string[];
  languages: LanguageCode[];
  /** Canonical insurer names from the vocabulary; empty means self-pay only. */
  insurance: string[];
  /** Null for clinics. */
  gender: Gender | null;
  visitTypes: VisitType[];
  acceptingNewPatients: boolean;
  bio: string;
  address: AddressDraft;
  latitude: number;
  longitude: number;
  timeZone: string;
  services: ServiceDraft[];
  weeklyHours: WeeklyHours;
  slotIntervalMinutes: number;
  minimumNoticeMinutes: number;
  bookingHorizonDays: number;
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Only generate providers in these countries (default: all). */
  countries?: readonly CountryCode[];
}

/** The seed the demo database and the relevance set use. */
export const DEMO_SEED = 20_240_917;

const profileTable = new WeightedTable(
  clinicProfiles,
  clinicProfiles.map((p) => p.weight),
);
const specialtyTable = new WeightedTable(
  specialties.map((s) => s.code as SpecialtyCode),
  specialties.map((s) => practitionerWeights[s.code as SpecialtyCode] ?? 1),
);
const cityTables = new Map<string, WeightedTable<City>>();

function cityTable(only: readonly CountryCode[] | undefined): WeightedTable<City> {
  const key = only ? [...only].sort().join(',') : '*';
  let table = cityTables.get(key);
  if (!table) {
    const list = only ? cities.filter((c) => only.includes(c.country)) : cities;
    if (list.length === 0) throw new Error(`no demo cities in ${key}`);
    table = new WeightedTable(
      list,
      list.map((c) => c.weight),
    );
    cityTables.set(key, table);
  }
  return table;
}

const videoShare: Record<SpecialtyCategory, number> = {
  'primary-care': 0.5,
  medical: 0.4,
  surgical: 0.2,
  'womens-health': 0.3,
  'childrens-health': 0.3,
  'mental-health': 0.85,
  dental: 0,
  'eye-and-ear': 0.1,
  rehabilitation: 0.25,
  'allied-health': 0.45,
  diagnostic: 0,
  complementary: 0,
};

function category(code: SpecialtyCode): SpecialtyCategory {
  const s = specialtyByCode(code);
  if (!s) throw new Error(`unknown specialty ${code}`);
  return s.category;
}

function pickSpecialties(rng: Rng, kind: ProviderKind): { codes: SpecialtyCode[]; profile?: ClinicProfile } {
  if (kind === 'clinic') {
    const profile = profileTable.pick(rng);
    const primary = rng.pick(profile.primary);
    const extras = profile.extras.filter((c) => c !== primary);
    const extraCount = rng.pick([0, 1, 1, 2, 2]);
    return { codes: [primary, ...rng.sample(extras, extraCount)], profile };
  }
  const primary = specialtyTable.pick(rng);
  const second = secondarySpecialties[primary];
  if (second && second.length > 0 && rng.chance(0.2)) return { codes: [primary, rng.pick(second)] };
  return { codes: [primary] };
}

function pickConditions(rng: Rng, codes: readonly SpecialtyCode[]): string[] {
  const out = new Set<string>();
  codes.forEach((code, i) => {
    const list = specialtyByCode(code)?.conditions ?? [];
    for (const c of rng.sample(list, i === 0 ? rng.int(2, 4) : rng.int(1, 2))) out.add(c);
  });
  return [...out].slice(0, 8);
}

function pickLanguages(
  rng: Rng,
  city: City,
  heritage: string | undefined,
  kind: ProviderKind,
): LanguageCode[] {
  const out = new Set<LanguageCode>(city.languages);
  const boost = kind === 'clinic' ? 1.6 : 1;
  for (const [code, p] of city.localLanguages ?? []) if (rng.chance(p * boost)) out.add(code);
  for (const [code, p] of countries[city.country].extraLanguages) if (rng.chance(p * boost)) out.add(code);
  if (heritage && isLanguageCode(heritage) && rng.chance(0.6)) out.add(heritage);
  return [...out];
}

/** Builds the provider at one index of a seeded sequence; depends only on (seed, index). */
export function generateProvider(seed: number, index: number, only?: readonly CountryCode[]): ProviderDraft {
  return build(seed, index, cityTable(only));
}

function build(seed: number, index: number, places: WeightedTable<City>): ProviderDraft {
  const rng = new Rng(mixSeed(seed >>> 0, index));
  const city = places.pick(rng);
  const kind: ProviderKind = rng.chance(0.3) ? 'clinic' : 'practitioner';
  const { codes, profile } = pickSpecialties(rng, kind);
  const primary = codes[0] as SpecialtyCode;
  const primaryCategory = category(primary);

  let gender: Gender | null = null;
  let name: string;
  let slugBase: string;
  let heritage: string | undefined;
  let neighbourhood = rng.pick(city.neighbourhoods);
  if (kind === 'practitioner') {
    const femaleShare = primary === 'midwifery' || primary === 'lactation-consulting' ? 0.95 : 0.52;
    gender = rng.chance(countries[city.country].nonBinaryShare)
      ? 'non-binary'
      : rng.chance(femaleShare)
        ? 'female'
        : 'male';
    const person = personName(rng, city.names, gender, primary);
    name = person.display;
    slugBase = `${person.first} ${person.last}`;
    heritage = person.heritage;
  } else {
    const clinic = clinicName(rng, city, profile as ClinicProfile);
    name = clinic.name;
    slugBase = name;
    if (clinic.neighbourhood) neighbourhood = clinic.neighbourhood;
  }

  const languages = pickLanguages(rng, city, heritage, kind);
  const { insurance, free } = insuranceFor(rng, city, primary);
  const video = videoShare[primaryCategory];
  const wantedMode: Mode = rng.chance(video)
    ? kind === 'practitioner' &&
      (primaryCategory === 'mental-health' || primaryCategory === 'allied-health') &&
      rng.chance(0.15)
      ? 'video-only'
      : 'hybrid'
    : 'in-person';
  const { services, mode } = pickServices(rng, codes, wantedMode, city, free);
  const visitTypes: VisitType[] = (['in-person', 'video'] as const).filter((v) =>
    services.some((s) => s.visitType === v),
  );
  const extended = primary === 'urgent-care';
  const hours = weeklyHours(rng, { style: countries[city.country].hours, kind, extended });
  const conditions = pickConditions(rng, codes);
  const acceptingNewPatients = rng.chance(kind === 'clinic' ? 0.92 : 0.8);
  const langNames = languages.map((l) => languageNames[l]);

  let bio =
    kind === 'practitioner'
      ? practitionerBio(rng, {
          name,
          gender: gender as Gender,
          title: specialtyByCode(primary)?.practitionerTitle ?? primary,
          city: city.name,
          neighbourhood,
          conditions,
          languageNames: langNames,
          acceptingNewPatients,
          offersVideo: mode !== 'in-person',
        })
      : clinicBio(rng, {
          name,
          city: city.name,
          neighbourhood,
          specialtyNames: codes.map((c) => specialtyByCode(c)?.name ?? c),
          conditions,
          languageNames: langNames,
          openSaturday: hours.sat.length > 0,
          openEveryDay: weekdays.every((d) => hours[d].length > 0),
        });
  if (city.names === 'en-US') bio = americanise(bio);

  const { latitude, longitude } = jitter(rng, city);
  const minimumNoticeMinutes = extended ? rng.pick([15, 30]) : rng.pick([60, 120, 120, 240, 720, 1440, 2880]);
  const bookingHorizonDays =
    primaryCategory === 'dental'
      ? rng.pick([60, 90, 180])
      : primaryCategory === 'mental-health'
        ? rng.pick([30, 60])
        : rng.pick([14, 30, 60, 90]);

  return {
    key: `${slugify(slugBase)}-${slugify(city.name)}-${index}`,
    name,
    kind,
    specialties: codes,
    conditions,
    languages,
    insurance,
    gender,
    visitTypes,
    acceptingNewPatients,
    bio,
    address: {
      line1: addressLine(rng, city, kind),
      city: city.name,
      region: city.region,
      postcode: postcode(rng, city),
      country: city.country,
    },
    latitude,
    longitude,
    timeZone: city.timeZone,
    services,
    weeklyHours: hours,
    slotIntervalMinutes: slotInterval(rng, services, primaryCategory),
    minimumNoticeMinutes,
    bookingHorizonDays,
  };
}

/**
 * Streams `count` providers without holding them: provider i depends only on (seed, i), so a
 * longer run starts with exactly the providers of a shorter one.
 */
export function* iterateProviders(options: GenerateOptions): Generator<ProviderDraft, void, undefined> {
  if (!Number.isInteger(options.count) || options.count < 0)
    throw new RangeError('count must be a non-negative integer');
  const places = cityTable(options.countries);
  for (let i = 0; i < options.count; i++) yield build(options.seed, i, places);
}

export function generateProviders(options: GenerateOptions): ProviderDraft[] {
  return Array.from(iterateProviders(options));
}
