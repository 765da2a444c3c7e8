import type { BookingSeries } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { ErrorNotice, Skeleton, StatusBadge } from '../../ui/feedback';
import { dayLabel, time, zoneLabel } from '../../ui/format';
import { downloadSeriesCalendar, seriesApi, seriesKeys } from './series-api';
import './series.css';

const every = (s: BookingSeries) => (s.intervalWeeks === 1 ? 'Every week' : `Every ${s.intervalWeeks} weeks`);

/** A recurring series: every visit with its status, the calendar file, "cancel this and later visits". */
export function SeriesPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [confirmFrom, setConfirmFrom] = useState<number | null>(null);
  const q = useQuery({ queryKey: seriesKeys.one(id), queryFn: () => seriesApi.get(id) });
  const cancel = useMutation({
    mutationFn: (from: number) => seriesApi.cancelFrom(id, from),
    onSuccess: (s) => {
      queryClient.setQueryData(seriesKeys.one(id), s);
      queryClient.invalidateQueries({ queryKey: keys.bookings });
      setConfirmFrom(null);
    },
  });
  if (q.isPending) return <Skeleton lines={6} label="Loading the series" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  const s = q.data;
  const first = s.items[0]?.booking;
  return (
    <div className="narrow series-page">
      {params.get('new') === '1' && (
        <p className="notice notice-success" role="status">
          Your {s.occurrences} visits are booked.
        </p>
      )}
      <h1>
        {s.serviceName} with {s.providerName}
      </h1>
      <p>
        {every(s)}, {s.occurrences} visits, at {first ? time(first.start, s.timeZone) : ''}{' '}
        {zoneLabel(s.timeZone)}.
      </p>
      <p>
        <button type="button" className="btn btn-secondary" onClick={() => downloadSeriesCalendar(s)}>
          Add all visits to my calendar (.ics)
        </button>
      </p>
      {cancel.isError && (
        <p className="notice notice-error" role="alert">
          {plainMessage(cancel.error)}
        </p>
      )}
      <ol className="series-list">
        {s.items.map(({ occurrence, booking: b }) => (
          <li key={b.id} className="card series-item">
            <div>
              <span className="series-num">Visit {occurrence}</span>{' '}
              <Link to={`/bookings/${b.id}`}>
                {dayLabel(b.start, s.timeZone)}, {time(b.start, s.timeZone)}
              </Link>{' '}
              <StatusBadge status={b.status} />
            </div>
            {b.allowedActions?.includes('cancel') &&
              (confirmFrom === occurrence ? (
                <fieldset className="series-confirm" aria-label={`Cancel from visit ${occurrence}`}>
                  <p>
                    Cancel visit {occurrence}
                    {occurrence < s.occurrences ? ' and every later visit' : ''}? Earlier visits stay booked.
                  </p>
                  <button
                    type="button"
                    className="btn btn-danger"
                    disabled={cancel.isPending}
                    onClick={() => cancel.mutate(occurrence)}
                  >
                    {cancel.isPending ? 'Cancelling…' : 'Yes, cancel'}
                  </button>{' '}
                  <button type="button" className="btn btn-secondary" onClick={() => setConfirmFrom(null)}>
                    Keep them
                  </button>
                </fieldset>
              ) : (
                <button type="button" className="link-button" onClick={() => setConfirmFrom(occurrence)}>
                  {occurrence < s.occurrences ? 'Cancel this and later visits' : 'Cancel this visit'}
                </button>
              ))}
          </li>
        ))}
      </ol>
    </div>
  );
}
