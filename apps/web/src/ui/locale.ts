/**
 * What the viewer's locale changes beyond dates: distance units and the spelling of specialty
 * names. The vocabulary is written in British English ("Paediatrics", "Orthopaedics"); readers
 * whose English is American see "Pediatrics", "Orthopedics".
 */

export const viewerLocale = () =>
  (typeof navigator !== 'undefined' && (navigator.languages?.[0] || navigator.language)) || 'en-US';

function region(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
}

/** Road distances in miles: the United States, the United Kingdom, Liberia and Myanmar. */
export function usesMiles(locale = viewerLocale()): boolean {
  return ['US', 'GB', 'LR', 'MM'].includes(region(locale) ?? '');
}

/** "3.2 mi away" or "5.1 km away" for a distance in kilometres. */
export function distanceAway(km: number, locale = viewerLocale()): string {
  const miles = usesMiles(locale);
  const value = miles ? km / 1.609344 : km;
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
    value,
  );
  return `${n} ${miles ? 'mi' : 'km'} away`;
}

const US_SPELLING: ReadonlyArray<readonly [RegExp, string]> = [
  [/([Pp])aed/g, '$1ed'],
  [/([Oo])rthopaed/g, '$1rthoped'],
  [/([Gg])ynaec/g, '$1ynec'],
  [/\b([Hh])aem/g, '$1em'],
  [/\b([Aa])naes/g, '$1nes'],
  [/([Cc])ounsell/g, '$1ounsel'],
  [/([Cc])entre/g, '$1enter'],
];

/** American English outside the vocabulary's British spelling: en-US and other "en" in the Americas. */
export function usesAmericanSpelling(locale = viewerLocale()): boolean {
  return (
    locale.toLowerCase().startsWith('en') &&
    ['US', 'PR', 'PH', 'UM', 'VI', 'AS', 'GU'].includes(region(locale) ?? '')
  );
}

/** A specialty name (or title) spelt for the viewer: "Paediatrics" → "Pediatrics" for en-US. */
export function localSpelling(name: string, locale = viewerLocale()): string {
  if (!usesAmericanSpelling(locale)) return name;
  let out = name;
  for (const [pattern, replacement] of US_SPELLING) out = out.replace(pattern, replacement);
  return out;
}

/** "Dentist" → "Dentists"; "Physiotherapist" → "Physiotherapists"; already plural stays. */
export function plural(title: string): string {
  if (/s$/i.test(title)) return title;
  if (/y$/i.test(title) && !/[aeiou]y$/i.test(title)) return `${title.slice(0, -1)}ies`;
  return `${title}s`;
}
