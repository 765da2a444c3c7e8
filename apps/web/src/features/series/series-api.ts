import type { BookingSeries, CreateSeriesBody, SeriesConflict } from '@carebook/contracts';
import { apiBlob, apiRequest } from '../../api/client';
import { ApiError } from '../../api/problem';

export const seriesKeys = { one: (id: string) => ['bookings', 'series', id] as const };

export const seriesApi = {
  create: (body: CreateSeriesBody, idempotencyKey: string) =>
    apiRequest<BookingSeries>('/api/v1/booking-series', {
      body,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  get: (id: string) => apiRequest<BookingSeries>(`/api/v1/booking-series/${id}`),
  cancelFrom: (id: string, fromOccurrence: number) =>
    apiRequest<BookingSeries>(`/api/v1/booking-series/${id}/cancel`, { body: { fromOccurrence } }),
};

/** The dates a SERIES_CONFLICT names, or null for any other error. */
export function seriesConflicts(error: unknown): SeriesConflict[] | null {
  if (!(error instanceof ApiError) || error.code !== 'SERIES_CONFLICT') return null;
  return (error.problem.conflicts ?? []) as SeriesConflict[];
}

/** Saves the series as one recurring calendar event (RRULE, EXDATE for cancelled dates). */
export async function downloadSeriesCalendar(series: BookingSeries): Promise<void> {
  const blob = await apiBlob(`/api/v1/booking-series/${series.id}/calendar.ics`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `carebook-series-${series.localStart.slice(0, 10)}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The repeat a patient chose on the booking page; null = just this visit. */
export interface RepeatChoiceValue {
  intervalWeeks: number;
  occurrences: number;
}

/**
 * The dates of a series for the preview: the first start plus whole weeks, shown as local dates
 * in the practice's zone (the server keeps the local time across DST; a date never moves).
 */
export function previewDates(start: string, repeat: RepeatChoiceValue): string[] {
  const first = Date.parse(start);
  return Array.from({ length: repeat.occurrences }, (_, i) =>
    new Date(first + i * repeat.intervalWeeks * 7 * 86_400_000).toISOString(),
  );
}
