import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/problem';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // 4xx answers will not change on a retry; network blips and 5xx might.
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

/** Query keys in one place, so the WebSocket handler invalidates exactly what it should. */
export const keys = {
  me: ['me'] as const,
  search: (req: unknown) => ['search', req] as const,
  suggest: (q: string) => ['suggest', q] as const,
  listing: (id: string) => ['listing', id] as const,
  myListings: ['listings', 'mine'] as const,
  availability: (id: string, serviceId: string, from: string, tz: string) =>
    ['availability', id, serviceId, from, tz] as const,
  bookings: ['bookings'] as const,
  booking: (id: string) => ['bookings', 'one', id] as const,
  notifications: ['notifications'] as const,
  waitlist: ['waitlist'] as const,
  sessions: ['sessions'] as const,
  adminUsers: ['admin', 'users'] as const,
  adminListings: ['admin', 'listings'] as const,
  audit: ['admin', 'audit'] as const,
};
