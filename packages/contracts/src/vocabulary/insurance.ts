import { Type } from '@sinclair/typebox';

/** A known insurer or public health scheme. */
export interface Insurer {
  /** Canonical display name, the form stored on listings. */
  readonly name: string;
  /** Other spellings and abbreviations people type; matched like the name itself. */
  readonly aliases: readonly string[];
  /** ISO 3166-1 alpha-2 countries where it is commonly accepted. */
  readonly countries: readonly string[];
  /** Province or state codes (ISO 3166-2 suffix) when it only applies to some of the country. */
  readonly regions?: readonly string[];
  /** `public` for state schemes (NHS, Medicare, OHIP, statutory German funds), else `private`. */
  readonly kind: 'public' | 'private';
}

export const insurers: readonly Insurer[] = [
  // United Kingdom
  {
    name: 'NHS',
    aliases: ['national health service', 'nhs england', 'nhs scotland', 'nhs wales'],
    countries: ['GB'],
    kind: 'public',
  },
  { name: 'Bupa', aliases: ['bupa uk', 'bupa global'], countries: ['GB'], kind: 'private' },
  {
    name: 'AXA',
    aliases: ['axa health', 'axa ppp', 'axa ppp healthcare', 'axa krankenversicherung', 'axa salud'],
    countries: ['GB', 'FR', 'DE', 'ES'],
    kind: 'private',
  },
  { name: 'Aviva', aliases: ['aviva health'], countries: ['GB'], kind: 'private' },
  { name: 'Vitality', aliases: ['vitality health', 'vitalityhealth'], countries: ['GB'], kind: 'private' },
  { name: 'WPA', aliases: ['western provident association'], countries: ['GB'], kind: 'private' },
  { name: 'Simplyhealth', aliases: [], countries: ['GB'], kind: 'private' },
  // International
  {
    name: 'Cigna',
    aliases: ['cigna healthcare', 'cigna global', 'cigna salud'],
    countries: ['US', 'GB', 'ES'],
    kind: 'private',
  },
  {
    name: 'Allianz',
    aliases: ['allianz care', 'allianz private krankenversicherung', 'allianz pkv'],
    countries: ['DE', 'FR', 'ES', 'AU'],
    kind: 'private',
  },
  // United States
  { name: 'Aetna', aliases: ['aetna cvs health'], countries: ['US'], kind: 'private' },
  {
    name: 'UnitedHealthcare',
    aliases: ['uhc', 'unitedhealth', 'united health', 'unitedhealth group'],
    countries: ['US'],
    kind: 'private',
  },
  {
    name: 'Blue Cross Blue Shield',
    aliases: ['bcbs', 'blue cross', 'blue shield', 'bcbsa'],
    countries: ['US'],
    kind: 'private',
  },
  {
    name: 'Kaiser Permanente',
    aliases: ['kaiser', 'kp'],
    countries: ['US'],
    regions: ['CA', 'CO', 'GA', 'HI', 'MD', 'VA', 'DC', 'OR', 'WA'],
    kind: 'private',
  },
  { name: 'Humana', aliases: [], countries: ['US'], kind: 'private' },
  {
    name: 'Medicare',
    aliases: ['original medicare', 'medicare part b', 'medicare advantage', 'medicare us'],
    countries: ['US'],
    kind: 'public',
  },
  { name: 'Medicaid', aliases: ['medi-cal'], countries: ['US'], kind: 'public' },
  { name: 'Molina Healthcare', aliases: ['molina'], countries: ['US'], kind: 'private' },
  { name: 'Oscar Health', aliases: ['oscar'], countries: ['US'], kind: 'private' },
  { name: 'Ambetter', aliases: ['ambetter health'], countries: ['US'], kind: 'private' },
  { name: 'TRICARE', aliases: [], countries: ['US'], kind: 'public' },
  // Canada
  {
    name: 'OHIP',
    aliases: ['ontario health insurance plan'],
    countries: ['CA'],
    regions: ['ON'],
    kind: 'public',
  },
  {
    name: 'MSP',
    aliases: ['medical services plan', 'bc msp', 'medical services plan of british columbia'],
    countries: ['CA'],
    regions: ['BC'],
    kind: 'public',
  },
  {
    name: 'RAMQ',
    aliases: ["régie de l'assurance maladie du québec", 'assurance maladie du quebec'],
    countries: ['CA'],
    regions: ['QC'],
    kind: 'public',
  },
  {
    name: 'AHCIP',
    aliases: ['alberta health care insurance plan', 'alberta health care', 'alberta health'],
    countries: ['CA'],
    regions: ['AB'],
    kind: 'public',
  },
  {
    name: 'Nova Scotia MSI',
    aliases: ['msi', 'medical services insurance', 'ns msi'],
    countries: ['CA'],
    regions: ['NS'],
    kind: 'public',
  },
  {
    name: 'Manitoba Health',
    aliases: ['manitoba health insurance'],
    countries: ['CA'],
    regions: ['MB'],
    kind: 'public',
  },
  { name: 'Sun Life', aliases: ['sun life financial', 'sunlife'], countries: ['CA'], kind: 'private' },
  { name: 'Manulife', aliases: ['manulife financial', 'manu life'], countries: ['CA'], kind: 'private' },
  { name: 'Canada Life', aliases: ['great-west life'], countries: ['CA'], kind: 'private' },
  { name: 'Green Shield Canada', aliases: ['green shield', 'gsc'], countries: ['CA'], kind: 'private' },
  { name: 'Pacific Blue Cross', aliases: ['pbc'], countries: ['CA'], regions: ['BC'], kind: 'private' },
  // Germany
  {
    name: 'TK Techniker Krankenkasse',
    aliases: ['tk', 'techniker', 'techniker krankenkasse'],
    countries: ['DE'],
    kind: 'public',
  },
  {
    name: 'AOK',
    aliases: ['allgemeine ortskrankenkasse', 'aok nordost', 'aok bayern', 'aok plus'],
    countries: ['DE'],
    kind: 'public',
  },
  { name: 'Barmer', aliases: ['barmer gek', 'barmer ersatzkasse'], countries: ['DE'], kind: 'public' },
  {
    name: 'DAK-Gesundheit',
    aliases: ['dak', 'deutsche angestellten krankenkasse'],
    countries: ['DE'],
    kind: 'public',
  },
  { name: 'IKK classic', aliases: ['ikk'], countries: ['DE'], kind: 'public' },
  { name: 'Debeka', aliases: ['debeka krankenversicherung'], countries: ['DE'], kind: 'private' },
  { name: 'Signal Iduna', aliases: [], countries: ['DE'], kind: 'private' },
  {
    name: 'DKV',
    aliases: ['deutsche krankenversicherung', 'dkv seguros'],
    countries: ['DE', 'ES'],
    kind: 'private',
  },
  // Spain
  { name: 'Sanitas', aliases: ['sanitas seguros'], countries: ['ES'], kind: 'private' },
  { name: 'Adeslas', aliases: ['segurcaixa adeslas'], countries: ['ES'], kind: 'private' },
  { name: 'Asisa', aliases: [], countries: ['ES'], kind: 'private' },
  { name: 'Mapfre', aliases: ['mapfre salud'], countries: ['ES'], kind: 'private' },
  {
    name: 'MUFACE',
    aliases: ['mutualidad general de funcionarios civiles del estado'],
    countries: ['ES'],
    kind: 'public',
  },
  // France
  {
    name: 'Assurance Maladie',
    aliases: ['cpam', 'ameli', 'sécurité sociale', "caisse primaire d'assurance maladie"],
    countries: ['FR'],
    kind: 'public',
  },
  {
    name: 'MGEN',
    aliases: ["mutuelle générale de l'éducation nationale"],
    countries: ['FR'],
    kind: 'private',
  },
  { name: 'Harmonie Mutuelle', aliases: ['harmonie'], countries: ['FR'], kind: 'private' },
  { name: 'Malakoff Humanis', aliases: ['malakoff'], countries: ['FR'], kind: 'private' },
  { name: 'La Mutuelle Générale', aliases: ['mutuelle générale'], countries: ['FR'], kind: 'private' },
  { name: 'AG2R La Mondiale', aliases: ['ag2r'], countries: ['FR'], kind: 'private' },
  // Australia
  {
    name: 'Medicare Australia',
    aliases: ['medicare au', 'medicare aus', 'bulk billing'],
    countries: ['AU'],
    kind: 'public',
  },
  { name: 'Medibank', aliases: ['medibank private', 'ahm'], countries: ['AU'], kind: 'private' },
  { name: 'Bupa Australia', aliases: ['bupa au', 'bupa aus'], countries: ['AU'], kind: 'private' },
  { name: 'HCF', aliases: ['hospitals contribution fund'], countries: ['AU'], kind: 'private' },
  { name: 'nib', aliases: ['nib health funds', 'nib health'], countries: ['AU'], kind: 'private' },
  { name: 'HBF', aliases: ['hbf health'], countries: ['AU'], kind: 'private' },
  { name: 'Australian Unity', aliases: [], countries: ['AU'], kind: 'private' },
  // India
  {
    name: 'Ayushman Bharat PM-JAY',
    aliases: ['pmjay', 'ayushman bharat', 'pradhan mantri jan arogya yojana'],
    countries: ['IN'],
    kind: 'public',
  },
  { name: 'CGHS', aliases: ['central government health scheme'], countries: ['IN'], kind: 'public' },
  {
    name: 'Star Health',
    aliases: ['star health insurance', 'star health and allied insurance'],
    countries: ['IN'],
    kind: 'private',
  },
  { name: 'ICICI Lombard', aliases: ['icici'], countries: ['IN'], kind: 'private' },
  { name: 'HDFC ERGO', aliases: ['hdfc'], countries: ['IN'], kind: 'private' },
  { name: 'Niva Bupa', aliases: ['max bupa'], countries: ['IN'], kind: 'private' },
];

/**
 * Matching key: lower-case, diacritics stripped, "&" read as "and", everything but letters and
 * digits removed — so "United Health Care", "unitedhealthcare" and "UNITED-HEALTHCARE" agree.
 */
export function insuranceKey(input: string): string {
  return input
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const byKey: ReadonlyMap<string, Insurer> = (() => {
  const map = new Map<string, Insurer>();
  for (const insurer of insurers) {
    for (const form of [insurer.name, ...insurer.aliases]) {
      const key = insuranceKey(form);
      if (!map.has(key)) map.set(key, insurer);
    }
  }
  return map;
})();

/** The known insurer a name or alias refers to, or undefined. */
export function findInsurer(input: string): Insurer | undefined {
  return byKey.get(insuranceKey(input));
}

/**
 * Canonical form of an insurance name as a provider typed it.
 *
 * - Known insurers, by name or alias and ignoring case, spacing, punctuation and accents, come
 *   back as their canonical name: "BCBS" → "Blue Cross Blue Shield", "united healthcare" →
 *   "UnitedHealthcare", "techniker" → "TK Techniker Krankenkasse".
 * - Anything else is kept — providers may accept a smaller or local insurer — with surrounding
 *   whitespace trimmed and inner runs of whitespace collapsed to one space, in the case given.
 * - "Medicare" alone means the United States programme; the Australian one is
 *   "Medicare Australia" (alias "medicare au").
 */
export function normaliseInsuranceName(input: string): string {
  const known = findInsurer(input);
  if (known) return known.name;
  return input.trim().replace(/\s+/g, ' ');
}

/** Insurers accepted in a country (and, for regional schemes, in one of its regions). */
export function insurersFor(country: string, region?: string): Insurer[] {
  return insurers.filter(
    (i) =>
      i.countries.includes(country) && (!i.regions || (region !== undefined && i.regions.includes(region))),
  );
}

/** Schema for an insurance name on a listing; normalise with `normaliseInsuranceName` first. */
export const InsuranceName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^\\S(.*\\S)?$',
  description: 'Insurer or scheme name; known insurers in canonical form (see normaliseInsuranceName)',
});
