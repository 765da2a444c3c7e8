import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, plainMessage } from '../../api/problem';
import { bookingCreated, detailsEntered, draftCleared, reasonTyped } from '../../app/booking-draft-slice';
import { keys } from '../../app/query-client';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { Field } from '../../ui/Field';
import { EmptyState } from '../../ui/feedback';
import { money } from '../../ui/format';
import { FirstBookingDetails } from '../account/ProfileSection';
import { AuthPanel } from '../auth/AuthPanel';
import { RepeatChoice } from '../series/RepeatChoice';
import { SeriesConflicts } from '../series/SeriesConflicts';
import { type RepeatChoiceValue, seriesApi, seriesConflicts } from '../series/series-api';
import { BookingSummary } from './BookingSummary';
import { payPath } from './stripe-js';
import './booking.css';

/** A free booking is confirmed at the review: it has no payment step, and no word of paying. */
const stepsFor = (paid: boolean) =>
  paid
    ? ['Reason for visit', 'Your account', 'Review', 'Payment']
    : ['Reason for visit', 'Your account', 'Confirm'];

function Steps({ current, steps }: { current: number; steps: string[] }) {
  return (
    <ol className="steps" aria-label="Booking steps">
      {steps.map((s, i) => (
        <li
          key={s}
          className={i < current ? 'done' : i === current ? 'current' : undefined}
          aria-current={i === current ? 'step' : undefined}
        >
          <span className="step-num" aria-hidden="true">
            {i < current ? '✓' : i + 1}
          </span>
          {s}
        </li>
      ))}
    </ol>
  );
}

export function BookPage() {
  const draft = useAppSelector((s) => s.bookingDraft.draft);
  const user = useAppSelector((s) => s.session.user);
  const sessionStatus = useAppSelector((s) => s.session.status);
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [detailsDone, setDetailsDone] = useState(
    Boolean(draft?.reasonForVisit) && (draft?.detailsConfirmed ?? true),
  );
  const [reason, setReason] = useState(draft?.reasonForVisit ?? '');
  const [newPatient, setNewPatient] = useState(draft?.newPatient ?? true);
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [repeat, setRepeat] = useState<RepeatChoiceValue | null>(null);
  // Whether patients may book a recurring series here (the listing says); a paid series is paid
  // once, for the sum of its dates.
  const listing = useQuery({
    queryKey: keys.listing(draft?.providerId ?? ''),
    queryFn: () => api.listing(draft?.providerId ?? ''),
    enabled: Boolean(draft) && user?.role === 'patient',
  });

  if (!draft) {
    return (
      <EmptyState title="Choose a time first">
        <p>
          <Link to="/search">Find a provider</Link> and pick an open slot to start a booking.
        </p>
      </EmptyState>
    );
  }
  const step = !detailsDone ? 0 : !user ? 1 : 2;
  const paid = draft.priceCents > 0;
  // Kept in the draft as it is typed, so going back to pick another time keeps it.
  const typed = (next: { reason?: string; newPatient?: boolean }) => {
    if (next.reason !== undefined) setReason(next.reason);
    if (next.newPatient !== undefined) setNewPatient(next.newPatient);
    dispatch(
      reasonTyped({ reasonForVisit: next.reason ?? reason, newPatient: next.newPatient ?? newPatient }),
    );
  };

  const saveDetails = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3)
      return setReasonError('Tell the practice briefly why you are coming (at least 3 characters).');
    setReasonError(undefined);
    dispatch(detailsEntered({ reasonForVisit: reason.trim(), newPatient }));
    setDetailsDone(true);
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      if (repeat && !draft.bookingId) {
        const series = await seriesApi.create(
          {
            providerId: draft.providerId,
            serviceId: draft.serviceId,
            start: draft.start,
            intervalWeeks: repeat.intervalWeeks,
            occurrences: repeat.occurrences,
            reasonForVisit: draft.reasonForVisit,
            newPatient: draft.newPatient,
          },
          `${draft.idempotencyKey}-series-${repeat.intervalWeeks}x${repeat.occurrences}`,
        );
        queryClient.invalidateQueries({ queryKey: keys.bookings });
        // A paid series is paid once, for every date: its dates share one payment.
        const first = series.items[0]?.booking;
        if (first?.status === 'payment_pending' && first.payment) {
          const to = payPath(first, series.id);
          if ('external' in to) window.location.assign(to.external);
          else navigate(to.internal);
          return;
        }
        dispatch(draftCleared());
        navigate(`/series/${series.id}?new=1`);
        return;
      }
      const booking = draft.bookingId
        ? await api.booking(draft.bookingId)
        : await api.createBooking(
            {
              providerId: draft.providerId,
              serviceId: draft.serviceId,
              start: draft.start,
              reasonForVisit: draft.reasonForVisit,
              newPatient: draft.newPatient,
            },
            draft.idempotencyKey,
          );
      dispatch(bookingCreated(booking.id));
      queryClient.invalidateQueries({ queryKey: keys.bookings });
      if (booking.status === 'payment_pending' && booking.payment) {
        // The built-in checkout, a hosted one elsewhere (it returns to the booking page), or Stripe here.
        const to = payPath(booking);
        if ('external' in to) window.location.assign(to.external);
        else navigate(to.internal);
      } else {
        dispatch(draftCleared());
        navigate(`/bookings/${booking.id}?new=1`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const slotGone =
    error instanceof ApiError && (error.code === 'SLOT_TAKEN' || error.code === 'NOT_BOOKABLE');
  return (
    <div className="narrow booking-flow">
      <h1>Book your appointment</h1>
      <Steps current={step} steps={stepsFor(paid)} />
      <div className="card">
        <BookingSummary draft={draft} />
        <p className="small">
          <Link to={`/providers/${draft.providerId}`}>Change time or service</Link>
        </p>
      </div>
      {step === 0 && (
        <form className="card" onSubmit={saveDetails} noValidate aria-labelledby="reason-title">
          <h2 id="reason-title">Reason for visit</h2>
          <Field
            label="What would you like help with?"
            hint="Only the practice sees this."
            error={reasonError}
          >
            <textarea
              rows={4}
              maxLength={1000}
              value={reason}
              onChange={(e) => typed({ reason: e.target.value })}
            />
          </Field>
          <label className="check">
            <input
              type="checkbox"
              checked={newPatient}
              onChange={(e) => typed({ newPatient: e.target.checked })}
            />
            This is my first visit here
          </label>
          <button type="submit" className="btn">
            Continue
          </button>
        </form>
      )}
      {step === 1 && (
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">Sign in or create an account to book</h2>
          {sessionStatus === 'unknown' ? <p aria-busy="true">Checking your session…</p> : <AuthPanel />}
          <button type="button" className="link-button" onClick={() => setDetailsDone(false)}>
            ‹ Back to reason for visit
          </button>
        </section>
      )}
      {step === 2 && (
        <section className="card" aria-labelledby="review-title">
          <h2 id="review-title">{paid ? 'Review and confirm' : 'Confirm your booking'}</h2>
          <dl className="summary">
            <dt>Patient</dt>
            <dd>{user?.displayName}</dd>
            <dt>Reason</dt>
            <dd>{draft.reasonForVisit}</dd>
            <dt>First visit</dt>
            <dd>{draft.newPatient ? 'Yes' : 'No'}</dd>
          </dl>
          {user?.role === 'patient' && <FirstBookingDetails />}
          {user?.role !== 'patient' && (
            <p className="notice notice-error" role="alert">
              Bookings are made with a patient account. You are signed in as {user?.role}.
            </p>
          )}
          {listing.data?.allowsRecurring && user?.role === 'patient' && !draft.bookingId && (
            <RepeatChoice value={repeat} onChange={setRepeat} start={draft.start} timeZone={draft.timeZone} />
          )}
          {paid && repeat && (
            <p className="muted small" data-testid="series-total">
              One payment for all {repeat.occurrences} visits:{' '}
              <strong>{money(draft.priceCents * repeat.occurrences, draft.currency)}</strong>. A visit you
              cancel later is refunded under the practice's cancellation policy.
            </p>
          )}
          {seriesConflicts(error) ? (
            <SeriesConflicts conflicts={seriesConflicts(error) ?? []} timeZone={draft.timeZone} />
          ) : (
            error !== null && (
              <div className="notice notice-error" role="alert">
                <p>{plainMessage(error)}</p>
                {slotGone && <Link to={`/providers/${draft.providerId}`}>Pick another time</Link>}
              </div>
            )
          )}
          <div className="actions">
            <button type="button" className="btn btn-secondary" onClick={() => setDetailsDone(false)}>
              Edit reason
            </button>
            <button
              type="button"
              className="btn"
              onClick={confirm}
              disabled={busy || user?.role !== 'patient'}
              aria-busy={busy}
            >
              {busy
                ? 'Booking…'
                : repeat
                  ? paid
                    ? `Book ${repeat.occurrences} visits and pay`
                    : `Book ${repeat.occurrences} visits`
                  : paid
                    ? 'Confirm and pay'
                    : 'Confirm booking'}
            </button>
          </div>
          <p className="muted small">
            {paid
              ? 'Your time is held for a few minutes while you pay.'
              : 'This appointment is free: it is confirmed as soon as you press Confirm booking.'}
          </p>
        </section>
      )}
    </div>
  );
}
