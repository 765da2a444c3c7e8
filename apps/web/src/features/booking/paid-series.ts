import type { BookingSeries } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { seriesApi, seriesKeys } from '../series/series-api';

/**
 * The paid series a pay page is for (`?series=` in its address, or the booking's `seriesId`), or
 * null: then the page is for one booking. The series answers its total, paid once for every date; while it loads the page
 * shows no amount (never one visit's price for the whole series).
 */
export function usePaidSeries(seriesId: string | null | undefined): {
  series: BookingSeries | null;
  loading: boolean;
  error: unknown;
} {
  const series = useQuery({
    queryKey: seriesKeys.one(seriesId ?? ''),
    queryFn: () => seriesApi.get(seriesId ?? ''),
    enabled: Boolean(seriesId),
  });
  return {
    series: series.data ?? null,
    loading: Boolean(seriesId) && series.isPending,
    // A series that cannot be loaded: the page shows the error, never one date's price instead.
    error: seriesId && series.isError ? series.error : null,
  };
}

/** "8 visits, every week" — what one payment of a series covers. */
export const seriesSummary = (s: BookingSeries) =>
  `${s.occurrences} visits, ${s.intervalWeeks === 1 ? 'every week' : `every ${s.intervalWeeks} weeks`}`;
