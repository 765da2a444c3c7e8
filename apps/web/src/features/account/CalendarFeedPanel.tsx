import type { CalendarFeed } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { apiRequest } from '../../api/client';
import { plainMessage } from '../../api/problem';
import { ErrorNotice, Skeleton } from '../../ui/feedback';

export const calendarFeedKey = ['calendar-feed'] as const;

const feedApi = {
  get: () => apiRequest<{ feed: CalendarFeed | null }>('/api/v1/calendar-feed'),
  rotate: () => apiRequest<CalendarFeed>('/api/v1/calendar-feed/rotate', { method: 'POST', body: {} }),
  off: () => apiRequest<unknown>('/api/v1/calendar-feed', { method: 'DELETE' }),
};

/**
 * The signed-in user's private calendar feed: shows the webcal link, makes a new one (the old
 * link stops working) or turns it off. Used on the Account page and the provider dashboard.
 */
export function CalendarFeedPanel({ practice = false }: { practice?: boolean }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const q = useQuery({ queryKey: calendarFeedKey, queryFn: feedApi.get });
  const done = (text: string) => async () => {
    setMessage(text);
    await queryClient.invalidateQueries({ queryKey: calendarFeedKey });
  };
  const rotate = useMutation({
    mutationFn: feedApi.rotate,
    onSuccess: done(
      q.data?.feed ? 'New link ready. The old link no longer works.' : 'Your calendar link is ready.',
    ),
  });
  const off = useMutation({ mutationFn: feedApi.off, onSuccess: done('Calendar feed turned off.') });
  const feed = q.data?.feed;
  const error = rotate.error ?? off.error;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Calendar feed</h2>
      <p className="muted" id={`${id}-help`}>
        {practice
          ? "Subscribe to your practice's bookings in any calendar app."
          : 'Subscribe to your appointments in any calendar app.'}{' '}
        The link is private: anyone who has it can see these bookings.
      </p>
      {q.isPending ? (
        <Skeleton lines={1} label="Loading calendar feed" />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : feed ? (
        <>
          <label htmlFor={`${id}-url`}>Calendar link</label>
          <input
            id={`${id}-url`}
            readOnly
            value={feed.webcalUrl}
            aria-describedby={`${id}-help`}
            onFocus={(e) => e.currentTarget.select()}
          />
          <p>
            <a href={feed.webcalUrl}>Open in your calendar app</a>
          </p>
          <div className="actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={rotate.isPending}
              aria-describedby={`${id}-rotate-help`}
              onClick={() => rotate.mutate()}
            >
              Get a new link
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={off.isPending}
              onClick={() => off.mutate()}
            >
              Turn off
            </button>
          </div>
          <p className="muted small" id={`${id}-rotate-help`}>
            A new link replaces this one; calendars using the old link stop updating.
          </p>
        </>
      ) : (
        <button type="button" className="btn" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          Create calendar link
        </button>
      )}
      {message && !error && (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {plainMessage(error)}
        </p>
      )}
    </section>
  );
}
