import type { ProblemCode } from '@carebook/contracts';

export interface FieldError {
  path: string;
  message: string;
}

/** One date of a recurring series that cannot be booked (SERIES_CONFLICT). */
export interface ProblemConflict {
  occurrence: number;
  start: string;
  reason: 'taken' | 'not_bookable';
  message: string;
  alternatives: string[];
}

/**
 * A failure the domain knows about, with a stable code from the one registry
 * (`@carebook/contracts` problem codes). Services, permissions and adapters throw it; only
 * `http/` turns it into a problem+json response (status, headers such as the ETag of a version
 * conflict or Retry-After).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extras: {
      errors?: FieldError[];
      currentVersion?: number;
      retryAfterSeconds?: number;
      conflicts?: ProblemConflict[];
    } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'The resource') => new DomainError('NOT_FOUND', `${what} does not exist.`);
export const forbidden = (detail = 'Your role does not allow this action.') =>
  new DomainError('FORBIDDEN', detail);
