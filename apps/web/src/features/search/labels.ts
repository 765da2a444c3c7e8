/** Display names for facet values; languages come from the browser's own Intl data. */
const languageNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' });
  } catch {
    return null;
  }
})();

export const genderLabel: Record<string, string> = {
  female: 'Female',
  male: 'Male',
  'non-binary': 'Non-binary',
  unspecified: 'Not stated',
};
export const visitTypeLabel: Record<string, string> = { 'in-person': 'In person', video: 'Video visit' };

const titleCase = (code: string) => {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function facetLabel(facet: string, value: string, specialtyNames: Map<string, string>): string {
  if (facet === 'specialty') return specialtyNames.get(value) ?? titleCase(value);
  if (facet === 'language') return languageNames?.of(value) ?? value;
  if (facet === 'gender') return genderLabel[value] ?? value;
  if (facet === 'visitType') return visitTypeLabel[value] ?? value;
  return value;
}

export const languageLabel = (code: string) => languageNames?.of(code) ?? code;
