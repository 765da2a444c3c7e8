import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { isNotFound, LoadError } from './feedback';

const problem = (
  status: number,
  code: string,
  detail: string,
  errors?: { path: string; message: string }[],
) =>
  new ApiError({
    type: 'about:blank',
    title: code,
    status,
    code,
    detail,
    requestId: 'r1',
    ...(errors ? { errors } : {}),
  });

const missing = problem(404, 'NOT_FOUND', 'The listing does not exist.');
const badId = problem(
  400,
  'VALIDATION_FAILED',
  'The request is not valid: /path/id must match format "uuid".',
  [{ path: '/path/id', message: 'must match format "uuid"' }],
);
const badQuery = problem(400, 'VALIDATION_FAILED', 'The request is not valid: /query/from must be a date.', [
  { path: '/query/from', message: 'must be a date' },
]);

describe('isNotFound', () => {
  it('is a 404 or a 400 about the path only, nothing else', () => {
    expect(isNotFound(missing)).toBe(true);
    expect(isNotFound(badId)).toBe(true);
    expect(isNotFound(badQuery)).toBe(false);
    expect(isNotFound(problem(500, 'INTERNAL', ''))).toBe(false);
    expect(isNotFound(new Error('boom'))).toBe(false);
  });
});

describe('LoadError', () => {
  it('says plainly that the thing does not exist and where to go, without the API wording or a retry', () => {
    for (const error of [missing, badId]) {
      const { unmount } = render(
        <LoadError error={error} onRetry={vi.fn()} notFound="Provider not found">
          <p>Go back to the search.</p>
        </LoadError>,
      );
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Provider not found');
      expect(screen.getByText('Go back to the search.')).toBeTruthy();
      expect(document.body.textContent).not.toMatch(/path|uuid|does not exist\./);
      expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
      unmount();
    }
  });

  it('any other failure is the plain error with "Try again"', () => {
    const retry = vi.fn();
    render(
      <LoadError error={problem(503, 'UNAVAILABLE', 'down')} onRetry={retry} notFound="Provider not found">
        <p>Go back to the search.</p>
      </LoadError>,
    );
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong on our side');
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(retry).toHaveBeenCalledOnce();
    expect(screen.queryByRole('heading', { name: 'Provider not found' })).toBeNull();
  });
});
