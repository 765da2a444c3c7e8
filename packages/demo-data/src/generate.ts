import { clinicBio, practitionerBio } from './bio';
import { type City, cities } from './cities';
import { type ClinicProfile, clinicProfiles } from './clinics';
import { type CountryCode, type Currency, countries } from './countries';
import { type WeeklyHours, weekdays, weeklyHours } from './hours';
import { insuranceFor } from './insurance-choice';
import { americanise, clinicName, type Gender, personName, slugify } from './naming';
import { mixSeed, Rng, WeightedTable } from './prng';
import { defaultTemplates, type ServiceTemplate, serviceTemplates } from './services';
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

const templateCache = new Map<SpecialtyCode, readonly ServiceTemplate[]>();

function templatesFor(code: SpecialtyCode): readonly ServiceTemplate[] {
  let list = templateCache.get(code);
  if (!list) {
    const s = specialtyByCode(code);
    if (!s) throw new Error(`unknown specialty ${code}`);
    list = (serviceTemplates[code] ?? defaultTemplates(s.category)).map((tpl) => ({
      ...tpl,
      name: tpl.name.replace('{S}', s.name),
    }));
    templateCache.set(code, list);
  }
  return list;
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

function roundPrice(rng: Rng, base: number, country: CountryCode): number {
  const { priceFactor, priceStep } = countries[country];
  const raw = base * priceFactor * (0.8 + rng.next() * 0.45);
  return Math.max(priceStep, Math.round(raw / priceStep) * priceStep) * 100;
}

type Mode = 'in-person' | 'hybrid' | 'video-only';

function pickServices(
  rng: Rng,
  codes: readonly SpecialtyCode[],
  wantedMode: Mode,
  city: City,
  free: boolean,
): { services: ServiceDraft[]; mode: Mode } {
  const chosen: ServiceTemplate[] = [];
  codes.forEach((code, i) => {
    const [first, ...rest] = templatesFor(code);
    if (!first) return;
    const more = i === 0 ? rng.int(1, Math.min(3, rest.length)) : rng.int(0, Math.min(1, rest.length));
    chosen.push(first, ...rng.sample(rest, more));
  });
  const videoCapable = chosen.filter((s) => s.video !== 'no');
  let mode = wantedMode;
  if (mode !== 'in-person' && videoCapable.length === 0) mode = 'in-person';
  const currency = countries[city.country].currency;
  const services: ServiceDraft[] = [];
  const seen = new Set<string>();
  const add = (tpl: ServiceTemplate, visitType: VisitType, name = tpl.name) => {
    if (seen.has(name)) return;
    seen.add(name);
    services.push({
      name,
      durationMinutes: rng.pick(tpl.minutes),
      priceCents:
        free && !tpl.selfPay
          ? 0
          : roundPrice(rng, visitType === 'video' ? tpl.price * 0.9 : tpl.price, city.country),
      currency,
      visitType,
      bufferBeforeMinutes:
        visitType === 'video' ? 0 : tpl.before ? rng.pick(tpl.before) : rng.chance(0.15) ? 5 : 0,
      bufferAfterMinutes: tpl.after
        ? rng.pick(tpl.after)
        : visitType === 'video'
          ? rng.pick([0, 0, 5])
          : rng.pick([0, 0, 0, 5, 10]),
    });
  };
  for (const tpl of mode === 'video-only' ? videoCapable : chosen) {
    if (mode === 'video-only') add(tpl, 'video');
    else if (tpl.video === 'only') {
      if (mode === 'hybrid') add(tpl, 'video');
    } else add(tpl, 'in-person');
  }
  if (mode === 'hybrid' && !services.some((s) => s.visitType === 'video')) {
    const tpl = videoCapable[0];
    if (tpl) add(tpl, 'video', `${tpl.name} by video`);
  }
  if (services.length === 0) {
    const tpl = chosen[0];
    if (tpl) add(tpl, 'in-person');
  }
  if (city.names === 'en-US') for (const s of services) s.name = americanise(s.name);
  return {
    services,
    mode: services.some((s) => s.visitType === 'in-person')
      ? services.some((s) => s.visitType === 'video')
        ? 'hybrid'
        : 'in-person'
      : 'video-only',
  };
}

/** Slot grid in minutes, no longer than the shortest service; mostly 15, often 30 for therapy. */
function slotInterval(
  rng: Rng,
  services: readonly ServiceDraft[],
  primaryCategory: SpecialtyCategory,
): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (const s of services) shortest = Math.min(shortest, s.durationMinutes);
  const options = [5, 10, 15, 20, 30];
  const weights = [0.05, 0.15, 0.5, 0.1, primaryCategory === 'mental-health' ? 1 : 0.2];
  let total = 0;
  for (let i = 0; i < options.length; i++)
    if ((options[i] as number) <= shortest) total += weights[i] as number;
  let x = rng.next() * total;
  for (let i = 0; i < options.length; i++) {
    if ((options[i] as number) > shortest) continue;
    x -= weights[i] as number;
    if (x < 0) return options[i] as number;
  }
  return 5;
}

function jitter(rng: Rng, city: City): { latitude: number; longitude: number } {
  const radiusKm = 5 * Math.sqrt(rng.next());
  const angle = rng.next() * 2 * Math.PI;
  const dLat = (radiusKm * Math.cos(angle)) / 111.32;
  const dLon = (radiusKm * Math.sin(angle)) / (111.32 * Math.cos((city.latitude * Math.PI) / 180));
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { latitude: round(city.latitude + dLat), longitude: round(city.longitude + dLon) };
}

const GB_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';

function postcode(rng: Rng, city: City): string {
  const base = rng.pick(city.postcodes);
  if (city.country === 'GB')
    return `${base} ${rng.int(0, 9)}${rng.pick([...GB_INWARD_LETTERS])}${rng.pick([...GB_INWARD_LETTERS])}`;
  if (city.country === 'CA') return `${base} ${rng.int(0, 9)}${rng.pick([...CA_LETTERS])}${rng.int(0, 9)}`;
  return base;
}

function addressLine(rng: Rng, city: City, kind: ProviderKind): string {
  const street = rng.pick(city.streets);
  const style = countries[city.country].address;
  const max = city.country === 'US' ? 9999 : city.country === 'CA' ? 2999 : city.country === 'AU' ? 400 : 180;
  const n = city.country === 'US' ? rng.int(100, max) : rng.int(1, max);
  const base =
    style === 'number-first'
      ? `${n} ${street}`
      : style === 'number-first-comma'
        ? `${n}, ${street}`
        : style === 'number-last'
          ? `${street} ${n}`
          : `${street}, ${n}`;
  if ((city.country === 'US' || city.country === 'CA') && kind === 'clinic' && rng.chance(0.4))
    return `${base}, Suite ${rng.int(1, 9)}${rng.pick(['00', '01', '10', '20'])}`;
  if (city.country === 'AU' && rng.chance(0.2)) return `Level ${rng.int(1, 6)}, ${base}`;
  return base;
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
