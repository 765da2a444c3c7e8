import type { PracticeSchedule, PracticeScheduleQuery } from '@carebook/contracts';
import { apiRequest } from '../../api/client';
import { keys } from '../../app/query-client';

/** The practice's bookings (with who is coming) and opening hours in a range: GET /api/v1/practice/schedule. */
export const practiceSchedule = (query: PracticeScheduleQuery) =>
  apiRequest<PracticeSchedule>('/api/v1/practice/schedule', { query: { ...query } });

/** Under the bookings key, so every pushed booking event refetches it (app/realtime.ts). */
export const practiceScheduleKey = (query: PracticeScheduleQuery) =>
  [...keys.bookings, 'practice', query.providerId ?? 'all', query.from, query.to] as const;
