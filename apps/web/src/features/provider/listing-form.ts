import { type Listing, type ListingInput, languageNames, type Place } from '@carebook/contracts';

/** The form's own shape: lists as text where people type them, numbers as strings. */
export interface ListingFormValues {
  name: string;
  kind: 'practitioner' | 'clinic';
  specialties: string[];
  languages: string[];
  conditions: string;
  insurance: string;
  gender: '' | 'female' | 'male' | 'non-binary';
  visitTypes: ('in-person' | 'video')[];
  acceptingNewPatients: boolean;
  phone: string;
  bio: string;
  line1: string;
  city: string;
  region: string;
  postcode: string;
  country: string;
  lat: string;
  lon: string;
  timeZone: string;
}

export const emptyListing = (timeZone: string): ListingFormValues => ({
  name: '',
  kind: 'practitioner',
  specialties: [],
  languages: ['en'],
  conditions: '',
  insurance: '',
  gender: '',
  visitTypes: ['in-person'],
  acceptingNewPatients: true,
  phone: '',
  bio: '',
  line1: '',
  city: '',
  region: '',
  postcode: '',
  country: '',
  lat: '',
  lon: '',
  timeZone,
});

export function fromListing(l: Listing): ListingFormValues {
  return {
    name: l.name,
    kind: l.kind,
    specialties: [...l.specialties],
    languages: [...l.languages],
    conditions: l.conditions.join(', '),
    insurance: l.insurance.join(', '),
    gender: l.gender ?? '',
    visitTypes: [...l.visitTypes],
    acceptingNewPatients: l.acceptingNewPatients,
    phone: l.phone ?? '',
    bio: l.bio,
    line1: l.address.line1,
    city: l.address.city,
    region: l.address.region ?? '',
    postcode: l.address.postcode,
    country: l.address.country,
    lat: String(l.location.lat),
    lon: String(l.location.lon),
    timeZone: l.timeZone,
  };
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function validateListing(v: ListingFormValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (v.name.trim().length < 2) e.name = 'Enter the name patients will see (at least 2 characters).';
  if (!v.specialties.length) e.specialties = 'Choose at least one specialty.';
  if (v.specialties.length > 10) e.specialties = 'Choose at most 10 specialties.';
  if (!v.languages.length) e.languages = 'Choose at least one language.';
  if (!v.visitTypes.length) e.visitTypes = 'Offer in-person visits, video visits or both.';
  if (v.phone.trim() && !/^\+?[0-9][0-9 ()./-]{3,38}[0-9]$/.test(v.phone.trim()))
    e.phone = 'Enter the phone number with digits, spaces or dashes, e.g. +1 212 555 0142.';
  if (!v.line1.trim()) e.line1 = 'Enter the street address.';
  if (!v.city.trim()) e.city = 'Enter the city.';
  if (!v.postcode.trim()) e.postcode = 'Enter the postcode.';
  if (!/^[A-Z]{2}$/.test(v.country)) e.country = 'Use the two-letter country code, e.g. US or DE.';
  const lat = Number(v.lat);
  const lon = Number(v.lon);
  if (v.lat === '' || Number.isNaN(lat) || lat < -90 || lat > 90)
    e.lat = 'Latitude is a number from -90 to 90.';
  if (v.lon === '' || Number.isNaN(lon) || lon < -180 || lon > 180)
    e.lon = 'Longitude is a number from -180 to 180.';
  if (!v.timeZone) e.timeZone = 'Choose the time zone your hours are in.';
  return e;
}

/**
 * The errors still true after an edit: a field's message goes as soon as its value is fixed (no
 * new errors appear before the next submit).
 */
export function remainingErrors(
  errors: Record<string, string>,
  v: ListingFormValues,
): Record<string, string> {
  if (Object.keys(errors).length === 0) return errors;
  const now = validateListing(v);
  return Object.fromEntries(
    Object.keys(errors)
      .filter((k) => now[k] !== undefined)
      .map((k) => [k, now[k] as string]),
  );
}

/**
 * The languages to choose from, named in the viewer's locale (Intl.DisplayNames, English names
 * where the browser has none) and sorted the way that locale sorts.
 */
export function languageOptions(locale: string): { value: string; label: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: 'language' });
  } catch {
    names = null;
  }
  const collator = new Intl.Collator(locale);
  const named = Object.entries(languageNames).map(([code, english]) => {
    const local = names?.of(code);
    return {
      value: code,
      label: local && local !== code ? local : String(english),
      english: String(english),
    };
  });
  // Two languages the browser names alike ("Akan" for ak and tw) are told apart.
  const count = new Map<string, number>();
  for (const o of named) count.set(o.label, (count.get(o.label) ?? 0) + 1);
  return named
    .map((o) => ({
      value: o.value,
      label:
        (count.get(o.label) ?? 0) > 1
          ? `${o.label} (${o.english !== o.label ? o.english : o.value})`
          : o.label,
    }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/** What choosing a bundled place fills in: city, region, country, zone, coordinates (and the postcode it was found by). */
export function placePatch(v: ListingFormValues, p: Place, typed: string): Partial<ListingFormValues> {
  const code = typed.trim().toUpperCase();
  const typedPostcode = p.match === 'postcode' && /\d/.test(code) && /^[A-Z0-9 -]{2,10}$/.test(code);
  return {
    city: p.name,
    region: p.region,
    country: p.country,
    timeZone: p.timeZone,
    lat: String(p.lat),
    lon: String(p.lon),
    ...(typedPostcode && !v.postcode.trim() ? { postcode: code } : {}),
  };
}

/** The form's coordinates when both are valid numbers in range, else null. */
export function coordinatesOf(v: ListingFormValues): { lat: number; lon: number } | null {
  if (v.lat.trim() === '' || v.lon.trim() === '') return null;
  const lat = Number(v.lat);
  const lon = Number(v.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null;
  return { lat, lon };
}

export function toListingInput(v: ListingFormValues): ListingInput {
  return {
    name: v.name.trim(),
    kind: v.kind,
    specialties: v.specialties as ListingInput['specialties'],
    languages: v.languages as ListingInput['languages'],
    conditions: list(v.conditions),
    insurance: list(v.insurance),
    gender: v.kind === 'clinic' || !v.gender ? null : v.gender,
    visitTypes: v.visitTypes,
    acceptingNewPatients: v.acceptingNewPatients,
    phone: v.phone.trim() || null,
    bio: v.bio.trim(),
    address: {
      line1: v.line1.trim(),
      city: v.city.trim(),
      ...(v.region.trim() ? { region: v.region.trim() } : {}),
      postcode: v.postcode.trim(),
      country: v.country,
    },
    location: { lat: Number(v.lat), lon: Number(v.lon) },
    timeZone: v.timeZone,
  };
}

/** Fields whose values differ between two versions (for the "changed elsewhere" review). */
export function changedFields(a: ListingFormValues, b: ListingFormValues): (keyof ListingFormValues)[] {
  return (Object.keys(a) as (keyof ListingFormValues)[]).filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
}
