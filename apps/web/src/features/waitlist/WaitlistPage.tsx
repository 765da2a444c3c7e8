import type { WaitlistEntry, WaitlistOffer } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { zonedDateTime, zonedRange } from '../../ui/format';

/** Minutes left, refreshed every 15 s (the list itself updates over the WebSocket). */
function TimeLeft({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const minutes = Math.max(0, Math.ceil((Date.parse(until) - now) / 60_000));
  return <span>{minutes === 0 ? 'less than a minute left' : `${minutes} min left`}</span>;
}

function Offer({ offer, entry }: { offer: WaitlistOffer; entry: WaitlistEntry }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: async (action: 'accept' | 'decline') => {
      await api.waitlistOffer(offer.id, action);
    },
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: keys.waitlist });
      queryClient.invalidateQueries({ queryKey: keys.bookings });
    },
  });
  return (
    <section className="waitlist-offer" aria-label={`Offer at ${entry.providerName}`}>
      <p>
        <strong>A time is held for you:</strong> {zonedRange(offer.start, offer.end, offer.timeZone)}
      </p>
      <p className="muted">
        Held until {zonedDateTime(offer.expiresAt, offer.timeZone)} (<TimeLeft until={offer.expiresAt} />
        ). If you do nothing, it goes to the next patient.
      </p>
      <button type="button" className="button" disabled={act.isPending} onClick={() => act.mutate('accept')}>
        Accept this time
      </button>{' '}
      <button
        type="button"
        className="button secondary"
        disabled={act.isPending}
        onClick={() => act.mutate('decline')}
      >
        Decline
      </button>
      {act.isError && (
        <p role="alert" className="error">
          {plainMessage(act.error)}
        </p>
      )}
    </section>
  );
}

const statusText: Record<WaitlistEntry['status'], string> = {
  waiting: 'Waiting for a time',
  offered: 'A time is held for you',
  booked: 'Booked',
  left: 'Left',
};

/** My waitlist: entries, live offers (accept / decline, time left), updated over the WebSocket. */
export function WaitlistPage() {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: keys.waitlist, queryFn: () => api.waitlist() });
  const leave = useMutation({
    mutationFn: (id: string) => api.leaveWaitlist(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.waitlist }),
  });
  if (q.isPending) return <Skeleton lines={4} label="Loading your waitlist" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  return (
    <section className="waitlist" aria-labelledby="waitlist-title">
      <h1 id="waitlist-title">My waitlist</h1>
      {q.data.items.length === 0 ? (
        <EmptyState title="You are not on any waitlist">
          On a provider's page, choose a service and "Join the waitlist".
        </EmptyState>
      ) : (
        <ul className="waitlist-entries" aria-live="polite">
          {q.data.items.map((e) => (
            <li key={e.id} className="card">
              <h2>
                <Link to={`/providers/${e.providerId}`}>{e.providerName}</Link> · {e.serviceName}
              </h2>
              <p className="muted">
                {e.window
                  ? `${e.window.fromDate} to ${e.window.toDate}, ${e.window.dayPart === 'any' ? 'any time of day' : e.window.dayPart} (${e.timeZone} time)`
                  : 'Earlier than my booking'}
                {' · '}
                {statusText[e.status]}
              </p>
              {e.offer && <Offer offer={e.offer} entry={e} />}
              {(e.status === 'waiting' || e.status === 'offered') && (
                <button type="button" className="button link" onClick={() => leave.mutate(e.id)}>
                  Leave this waitlist
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
