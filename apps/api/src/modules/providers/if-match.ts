import { DomainError } from '../../domain/errors';

/** The strong ETag of a listing version. */
export const etagOf = (version: number) => `"${version}"`;

/** Reads the version an If-Match header names; 428 when it is missing, 400 when malformed. */
export function requireIfMatch(header: string | undefined): number {
  if (!header) {
    throw new DomainError(
      'PRECONDITION_REQUIRED',
      'Send If-Match with the ETag you last read, so a concurrent change is not overwritten.',
    );
  }
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match?.[1]) {
    throw new DomainError('VALIDATION_FAILED', 'If-Match must be an ETag such as "3".', {
      errors: [{ path: '/header/if-match', message: 'must be an ETag like "3"' }],
    });
  }
  return Number(match[1]);
}
