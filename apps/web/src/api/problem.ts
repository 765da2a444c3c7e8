import type { Problem } from '@carebook/contracts';

/** A problem+json error from the API (or a network failure dressed as one). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

const plainByCode: Record<string, string> = {
  NETWORK: 'Carebook could not be reached. Check your connection and try again.',
  SLOT_TAKEN: 'Someone has just booked that time. Please pick another slot.',
  VERSION_CONFLICT:
    'This was changed elsewhere while you were editing. Review the latest version and try again.',
  CANCELLATION_WINDOW_PASSED: 'It is too late to cancel this booking online. Please call the practice.',
  SMS_CONSENT_REQUIRED: 'To get text reminders, enter your mobile number and tick the box to agree to them.',
  TOO_MANY_REQUESTS: 'Too many attempts. Please wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again in a moment.',
};

/** "dateOfBirth" → "date of birth". */
const words = (segment: string) => segment.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * The API's schema check summarises its complaints by path ("…: /body/phone must be …"); people
 * get the names of the fields instead. Null when the detail was written for people.
 */
function schemaSentence(problem: Problem): string | null {
  const errors = problem.errors ?? [];
  if (errors.length === 0 || !errors.some((e) => problem.detail?.includes(e.path))) return null;
  if (errors.every((e) => e.path.startsWith('/path/')))
    return 'This link is not valid. Check the address, or start again from the home page.';
  const names = [
    ...new Set(
      errors.map((e) => {
        const segments = e.path.split('/').filter((s) => s && !/^\d+$/.test(s));
        return words(segments.at(-1) ?? 'your entries');
      }),
    ),
  ];
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return `Please check ${list}: ${names.length > 1 ? 'they are' : 'it is'} not in the form expected.`;
}

/** A sentence a patient can read: the API's own detail, unless a calmer one is known. */
export function plainMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const known = plainByCode[error.code];
    if (known && (error.code !== 'INTERNAL' || !error.problem.detail)) return known;
    if (error.status >= 500) return plainByCode.INTERNAL as string;
    return schemaSentence(error.problem) ?? (error.problem.detail || error.problem.title);
  }
  return 'Something went wrong. Please try again.';
}

/** Field messages from a 400 validation problem, keyed by the last path segment ("email"). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem.errors ?? []) {
    const key = e.path.split('/').filter(Boolean).at(-1) ?? '';
    if (key && !out[key]) out[key] = e.message;
  }
  return out;
}

export function networkProblem(): Problem {
  return {
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    detail: plainByCode.NETWORK as string,
    code: 'NETWORK',
    requestId: '',
  };
}
