import { type ProblemCode, problemCodes, problemType } from '@carebook/contracts';
import type { FieldError, ProblemConflict } from '../domain/errors';

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
  conflicts?: ProblemConflict[];
}

export function problemBody(
  code: ProblemCode,
  detail: string,
  requestId: string,
  instance: string | undefined,
  extras: Pick<ProblemBody, 'errors' | 'currentVersion' | 'retryAfterSeconds' | 'conflicts'> = {},
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
