import type { DayPart, Listing, Service } from '@carebook/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { isoDate } from '../../ui/format';

const DAY = 86_400_000;
const parts: { value: DayPart; label: string }[] = [
  { value: 'any', label: 'Any time of day' },
  { value: 'morning', label: 'Morning (before 12:00)' },
  { value: 'afternoon', label: 'Afternoon (12:00–17:00)' },
  { value: 'evening', label: 'Evening (from 17:00)' },
];

/**
 * "Join the waitlist" on a provider's profile: dates and a part of the day in the practice's zone.
 * When a matching time frees up it is held for the first patient in line, who is told at once.
 */
export function WaitlistJoin({ listing, service }: { listing: Listing; service: Service }) {
  const user = useAppSelector((s) => s.session.user);
  const queryClient = useQueryClient();
  const today = isoDate(new Date(), listing.timeZone);
  const [fromDate, setFrom] = useState(today);
  const [toDate, setTo] = useState(isoDate(new Date(Date.now() + 14 * DAY), listing.timeZone));
  const [dayPart, setPart] = useState<DayPart>('any');
  const id = useId();
  const join = useMutation({
    mutationFn: () =>
      api.joinWaitlist({
        providerId: listing.id,
        serviceId: service.id,
        window: { fromDate, toDate, dayPart },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.waitlist }),
  });
  if (user?.role !== 'patient') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate();
  };
  return (
    <section aria-labelledby={`${id}-title`} className="card waitlist-join">
      <h2 id={`${id}-title`}>No time that suits you?</h2>
      <p className="muted">
        Join the waitlist for {service.name}. When a matching time frees up, it is held for you and you are
        told by e-mail and here. Dates and times are in {listing.timeZone} time.
      </p>
      {join.isSuccess ? (
        <p role="status">
          You are on the waitlist. {join.data.offer ? 'A time is already held for you: ' : 'See '}
          <Link to="/waitlist">your waitlist</Link>.
        </p>
      ) : (
        <form onSubmit={submit}>
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={fromDate}
            min={today}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={toDate}
            min={fromDate}
            onChange={(e) => setTo(e.target.value)}
            required
          />
          <label htmlFor={`${id}-part`}>Time of day</label>
          <select id={`${id}-part`} value={dayPart} onChange={(e) => setPart(e.target.value as DayPart)}>
            {parts.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={join.isPending}>
            Join the waitlist
          </button>
          {join.isError && (
            <p role="alert" className="error">
              {plainMessage(join.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
