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

  it("never shows the schema check's paths: names the fields, or says the link is not valid", () => {
    expect(
      plainMessage(
        problem({
          detail:
            'The request is not valid: /body/phone must be Mobile number in E.164 form, e.g. +14155550123; /body/phone must be null.',
          errors: [
            { path: '/body/phone', message: 'must be Mobile number in E.164 form, e.g. +14155550123' },
            { path: '/body/phone', message: 'must be null' },
          ],
        }),
      ),
    ).toBe('Please check phone: it is not in the form expected.');
    expect(
      plainMessage(
        problem({
          detail:
            'The request is not valid: /body/dateOfBirth must match format "date"; /body/services/0 must be object.',
          errors: [
            { path: '/body/dateOfBirth', message: 'must match format "date"' },
            { path: '/body/services/0', message: 'must be object' },
          ],
        }),
      ),
    ).toBe('Please check date of birth and services: they are not in the form expected.');
    expect(
      plainMessage(
        problem({
          detail: 'The request is not valid: /path/id must match format "uuid".',
          errors: [{ path: '/path/id', message: 'must match format "uuid"' }],
        }),
      ),
    ).toBe('This link is not valid. Check the address, or start again from the home page.');
    // A detail written for people stays, even with field paths attached.
    expect(
      plainMessage(
        problem({
          detail: 'The password is not correct.',
          errors: [{ path: '/body/password', message: 'is not correct' }],
        }),
      ),
    ).toBe('The password is not correct.');
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
