import { type ProblemCode, problemCodes, problemType } from '@carebook/contracts';

export interface FieldError {
  path: string;
  message: string;
}

/** An error that becomes an RFC 9457 problem response with a stable code. */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extras: {
      errors?: FieldError[];
      currentVersion?: number;
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = problemCodes[code].status;
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  requestId: string;
  errors?: FieldError[];
  currentVersion?: number;
  retryAfterSeconds?: number;
}

export function problemBody(
  code: ProblemCode,
  detail: string,
  requestId: string,
  instance: string | undefined,
  extras: Pick<ProblemBody, 'errors' | 'currentVersion' | 'retryAfterSeconds'> = {},
): ProblemBody {
  const entry = problemCodes[code];
  return {
    type: problemType(code),
    title: entry.title,
    status: entry.status,
    detail,
    code,
    ...(instance ? { instance } : {}),
    requestId,
    ...extras,
  };
}

export const notFound = (what = 'The resource') => new ProblemError('NOT_FOUND', `${what} does not exist.`);
export const forbidden = (detail = 'Your role does not allow this action.') =>
  new ProblemError('FORBIDDEN', detail);
