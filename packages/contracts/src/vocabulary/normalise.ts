/**
 * Normalises a search phrase for vocabulary lookups: lower-case, diacritics stripped
 * ("Orthopäde" → "orthopade", "ß" → "ss"), and every run of characters that are not letters or
 * digits turned into one space, so "Ob/Gyn" → "ob gyn" and "children's doctor" →
 * "children s doctor" — the same words a tokenizer splitting on non-alphanumerics produces.
 */
export function normaliseTerm(phrase: string): string {
  return phrase
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** [British pattern, American replacement] and the reverse, applied to normalised phrases. */
const UK_TO_US: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bpaed/g, 'ped'],
  [/orthopaed/g, 'orthoped'],
  [/gynaec/g, 'gynec'],
  [/\bhaem/g, 'hem'],
  [/\banaem/g, 'anem'],
  [/leukaem/g, 'leukem'],
  [/\banaesth/g, 'anesth'],
  [/\boesoph/g, 'esoph'],
  [/\boedema/g, 'edema'],
  [/\btumour/g, 'tumor'],
  [/counsell/g, 'counsel'],
  [/\bcentre/g, 'center'],
  [/apnoea/g, 'apnea'],
  [/diarrhoea/g, 'diarrhea'],
  [/\bcoeliac/g, 'celiac'],
  [/\bageing/g, 'aging'],
  [/traveller/g, 'traveler'],
];

const US_TO_UK: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bped(?=iatr)/g, 'paed'],
  [/orthoped/g, 'orthopaed'],
  [/gynec/g, 'gynaec'],
  [/\bhem(?=at|orrh|oglobin|ophilia)/g, 'haem'],
  [/\banem/g, 'anaem'],
  [/leukem/g, 'leukaem'],
  [/\banesth/g, 'anaesth'],
  [/\besoph/g, 'oesoph'],
  [/\bedema/g, 'oedema'],
  [/\btumor/g, 'tumour'],
  [/counsel(?=ing|or)/g, 'counsell'],
  [/\bcenter/g, 'centre'],
  [/apnea/g, 'apnoea'],
  [/diarrhea/g, 'diarrhoea'],
  [/\bceliac/g, 'coeliac'],
  [/\baging/g, 'ageing'],
  [/traveler/g, 'traveller'],
];

function applyAll(phrase: string, rules: ReadonlyArray<readonly [RegExp, string]>): string {
  let out = phrase;
  for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
  return out;
}

/**
 * The normalised phrase plus its American and British spellings ("paediatrician" ↔
 * "pediatrician", "orthopaedics" ↔ "orthopedics", "gynaecology" ↔ "gynecology", "counselling" ↔
 * "counseling", "haematology" ↔ "hematology", "anaesthesia" ↔ "anesthesia" …) and, when it
 * contains a possessive, the form without the apostrophe's split ("children s doctor" →
 * "childrens doctor"). Unique, input first.
 */
export function spellingVariants(phrase: string): string[] {
  const base = normaliseTerm(phrase);
  const out = new Set<string>([base]);
  out.add(applyAll(base, UK_TO_US));
  out.add(applyAll(base, US_TO_UK));
  for (const v of [...out]) {
    if (/\b\p{L}+ s\b/u.test(v)) out.add(v.replace(/(\p{L}) s\b/gu, '$1s'));
  }
  return [...out].filter((v) => v.length > 0);
}
