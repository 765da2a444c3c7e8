import type { Booking } from '@carebook/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { zonedRange } from '../../ui/format';
import { type PickedSlot, WeekCalendar } from '../profile/WeekCalendar';

/**
 * Picking a new time, then saying yes to the move (old time → new time, zones labelled) before
 * anything changes. On success the new booking's page opens and says the move is done.
 */
export function RescheduleSection({ booking: b }: { booking: Booking }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<PickedSlot | null>(null);
  // The slot button that was pressed is gone once the question shows: focus goes to the question's
  // answer, and back to the section's heading when another time is wanted.
  const yesButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const backToCalendar = useRef(false);
  useEffect(() => {
    if (picked) yesButton.current?.focus();
    else if (backToCalendar.current) {
      backToCalendar.current = false;
      heading.current?.focus();
    }
  }, [picked]);
  const reschedule = useMutation({
    mutationFn: (start: string) => api.reschedule(b.id, start),
    onSuccess: (moved) => {
      queryClient.invalidateQueries({ queryKey: keys.bookings });
      navigate(`/bookings/${moved.id}?moved=1`);
    },
    // The button was disabled while moving, which dropped focus; the reason is next to it.
    onError: () => yesButton.current?.focus(),
  });
  const tz = b.timeZone;
  return (
    <section className="card" aria-labelledby="reschedule-title">
      <h2 id="reschedule-title" ref={heading} tabIndex={-1}>
        Pick a new time
      </h2>
      {picked ? (
        <div
          className="confirm-box confirm-move"
          role="alertdialog"
          aria-labelledby="move-q"
          aria-describedby="move-what"
        >
          <p id="move-q">
            <strong>Move your appointment?</strong>
          </p>
          <dl className="summary" id="move-what">
            <dt>From</dt>
            <dd>
              <s>{zonedRange(b.start, b.end, tz)}</s>
            </dd>
            <dt>To</dt>
            <dd>
              <strong>{zonedRange(picked.start, picked.end, tz)}</strong>
            </dd>
          </dl>
          <p className="small">
            {b.priceCents > 0 ? 'Your payment moves with it. ' : ''}The old time is released for others.
          </p>
          {reschedule.isError && (
            <p className="notice notice-error" role="alert">
              {plainMessage(reschedule.error)}
            </p>
          )}
          <button
            ref={yesButton}
            type="button"
            className="btn"
            onClick={() => reschedule.mutate(picked.start)}
            disabled={reschedule.isPending}
            aria-busy={reschedule.isPending}
          >
            {reschedule.isPending ? 'Moving…' : 'Yes, move it'}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              reschedule.reset();
              backToCalendar.current = true;
              setPicked(null);
            }}
          >
            Choose another time
          </button>
        </div>
      ) : (
        <WeekCalendar
          providerId={b.providerId}
          serviceId={b.serviceId}
          providerZone={tz}
          onPick={setPicked}
        />
      )}
    </section>
  );
}
