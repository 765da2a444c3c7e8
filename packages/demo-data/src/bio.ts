import type { Gender } from './naming';
import type { Rng } from './prng';

/** "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "a dermatologist", "an ENT specialist", "a urologist". */
export function withArticle(noun: string): string {
  const vowel = /^[aeiou]/i.test(noun) && !/^(uro|uni|eu|use)/i.test(noun);
  return `${vowel ? 'an' : 'a'} ${noun}`;
}

/** Lower-cases a title but keeps acronyms: "ENT Specialist" → "ENT specialist". */
const lowered = new Map<string, string>();

export function lowerTitle(title: string): string {
  let out = lowered.get(title);
  if (out === undefined) {
    out = title
      .split(' ')
      .map((w) => (/^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase()))
      .join(' ');
    lowered.set(title, out);
  }
  return out;
}

interface Pronouns {
  readonly subject: string;
  readonly possessive: string;
  /** Third-person singular verbs take an s except with singular "they". */
  readonly s: string;
}

function pronouns(gender: Gender): Pronouns {
  if (gender === 'female') return { subject: 'She', possessive: 'Her', s: 's' };
  if (gender === 'male') return { subject: 'He', possessive: 'His', s: 's' };
  return { subject: 'They', possessive: 'Their', s: '' };
}

export interface PractitionerBioInput {
  readonly name: string;
  readonly gender: Gender;
  readonly title: string;
  readonly city: string;
  readonly neighbourhood: string;
  readonly conditions: readonly string[];
  readonly languageNames: readonly string[];
  readonly acceptingNewPatients: boolean;
  readonly offersVideo: boolean;
}

export function practitionerBio(rng: Rng, input: PractitionerBioInput): string {
  const p = pronouns(input.gender);
  const has = p.s ? 'has' : 'have';
  const where = rng.pick([
    `in ${input.city}`,
    `based in ${input.city}`,
    `practising in ${input.neighbourhood}, ${input.city}`,
  ]);
  const years = rng.chance(0.7) ? ` with ${rng.int(3, 32)} years of experience` : '';
  const sentences = [`${input.name} is ${withArticle(lowerTitle(input.title))} ${where}${years}.`];
  const focus = joinList(input.conditions.slice(0, 3));
  if (focus) {
    sentences.push(
      rng.pick([
        `${p.subject} ${has} a special interest in ${focus}.`,
        `${p.subject} see${p.s} patients for ${focus}.`,
        `${p.possessive} clinical interests include ${focus}.`,
        `${p.subject} help${p.s} patients with ${focus}.`,
      ]),
    );
  }
  if (input.languageNames.length > 1) {
    sentences.push(
      rng.chance(0.5)
        ? `Appointments are available in ${joinList(input.languageNames)}.`
        : `${p.subject} speak${p.s} ${joinList(input.languageNames)}.`,
    );
  }
  if (input.offersVideo && rng.chance(0.5)) sentences.push('Video appointments are available.');
  if (!input.acceptingNewPatients && rng.chance(0.6)) sentences.push('Not currently accepting new patients.');
  else if (input.acceptingNewPatients && rng.chance(0.4)) sentences.push('New patients are welcome.');
  return sentences.join(' ');
}

export interface ClinicBioInput {
  readonly name: string;
  readonly city: string;
  readonly neighbourhood: string;
  readonly specialtyNames: readonly string[];
  readonly conditions: readonly string[];
  readonly languageNames: readonly string[];
  readonly openSaturday: boolean;
  readonly openEveryDay: boolean;
}

export function clinicBio(rng: Rng, input: ClinicBioInput): string {
  const descriptor =
    input.specialtyNames.length > 1 ? 'multidisciplinary clinic' : rng.pick(['clinic', 'practice']);
  const sentences = [
    `${input.name} is a ${descriptor} in ${input.neighbourhood}, ${input.city}, offering ${joinList(input.specialtyNames.map(lowerTitle))}.`,
  ];
  const focus = joinList(input.conditions.slice(0, 4));
  if (focus)
    sentences.push(
      rng.pick([
        `Our team treats ${focus}.`,
        `We see patients for ${focus}.`,
        `Common reasons to visit include ${focus}.`,
      ]),
    );
  if (input.languageNames.length > 1)
    sentences.push(`Care is available in ${joinList(input.languageNames)}.`);
  if (input.openEveryDay) sentences.push('Open seven days a week.');
  else if (input.openSaturday) sentences.push('Open on Saturdays.');
  return sentences.join(' ');
}
