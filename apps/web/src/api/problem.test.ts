import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrors, networkProblem, plainMessage } from './problem';

const problem = (over: Partial<ApiError['problem']>) =>
  new ApiError({
    type: 'about:blank',
    title: 'Bad',
    status: 400,
    detail: 'The detail.',
    code: 'VALIDATION_FAILED',
    requestId: 'r',
    ...over,
  });

describe('problem+json in plain words', () => {
  it('uses the API detail, or a calmer sentence for known codes', () => {
    expect(plainMessage(problem({}))).toBe('The detail.');
    expect(plainMessage(problem({ status: 409, code: 'SLOT_TAKEN' }))).toMatch(/pick another slot/);
    expect(plainMessage(problem({ status: 503, code: 'UNAVAILABLE', detail: 'pool exhausted' }))).toMatch(
      /our side/,
    );
    expect(plainMessage(new ApiError(networkProblem()))).toMatch(/could not be reached/);
    expect(plainMessage(new Error('boom'))).toMatch(/Something went wrong/);
  });

  it('maps validation errors to fields by the last path segment', () => {
    const err = problem({
      errors: [
        { path: '/body/email', message: 'must match format "email"' },
        { path: '/body/address/postcode', message: 'must not be empty' },
      ],
    });
    expect(fieldErrors(err)).toEqual({ email: 'must match format "email"', postcode: 'must not be empty' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
