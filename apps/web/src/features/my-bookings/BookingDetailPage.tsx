import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { LoadError, Skeleton, StatusBadge } from '../../ui/feedback';
import { money, statusLabel, viewerTime, zonedDateTime, zonedRange } from '../../ui/format';
import { useDocumentTitle } from '../../ui/use-document-title';
import { payPath } from '../booking/stripe-js';
import { downloadCalendarFile } from './calendar-file';
import { historySentence } from './history';
import { MovedNotice } from './MovedNotice';
import { patientOptions, refundAfterCancel, refundBeforeCancel } from './policy';
import { RescheduleSection } from './RescheduleSection';
import './booking-detail.css';
import { ReviewForm } from '../reviews/ReviewForm';

const headline: Record<string, string> = {
  pending: 'Holding your time…',
  payment_pending: 'Waiting for your payment to clear…',
  confirmed: 'Your booking is confirmed',
  in_progress: 'Your appointment is in progress',
  completed: 'Appointment completed',
  cancelled: 'This booking was cancelled',
  expired: 'This hold expired',
  no_show: 'Marked as missed',
};

/** One booking; a new id (after a move, or a link to the other booking) starts afresh. */
export function BookingDetailPage() {
  const { id = '' } = useParams();
  return <BookingDetail key={id} id={id} />;
}

function BookingDetail({ id }: { id: string }) {
  const [params] = useSearchParams();
  const fresh = params.get('new') === '1';
  const moved = params.get('moved') === '1';
  const viewer = useAppSelector((st) => st.session.user);
  const queryClient = useQueryClient();
  const [rescheduling, setRescheduling] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  // Where focus goes once the next render is on screen: the button it came from is gone by then.
  const focusNext = useRef<'keep' | 'cancel' | 'title' | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const target = { keep: keepButton, cancel: cancelButton, title: titleRef }[focusNext.current ?? 'keep'];
    if (focusNext.current && target.current) {
      target.current.focus();
      focusNext.current = null;
    }
  });
  const askCancel = (ask: boolean) => {
    focusNext.current = ask ? 'keep' : 'cancel';
    setConfirmCancel(ask);
  };
  const q = useQuery({
    queryKey: keys.booking(id),
    queryFn: () => api.booking(id),
    // The WebSocket invalidates this query; a slow poll covers a tab whose socket is down.
    refetchInterval: (query) => (query.state.data?.status === 'payment_pending' ? 5000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => api.bookingAction(id, 'cancel'),
    onSuccess: (b) => {
      queryClient.setQueryData(keys.booking(id), b);
      queryClient.invalidateQueries({ queryKey: keys.bookings });
      focusNext.current = 'title';
      setConfirmCancel(false);
    },
  });
  useDocumentTitle(q.data ? `${q.data.serviceName} with ${q.data.providerName}` : null);

  if (q.isPending) return <Skeleton lines={6} label="Loading booking" />;
  if (q.isError)
    return (
      <LoadError error={q.error} onRetry={() => q.refetch()} notFound="Booking not found">
        <p>
          There is no such booking in your account. <Link to="/bookings">See your bookings</Link>.
        </p>
      </LoadError>
    );
  const b = q.data;
  const opts = patientOptions(b);
  const tz = b.timeZone;
  const yours = viewerTime(b.start, tz);
  const refunded = refundAfterCancel(b);
  const title =
    moved && b.rescheduledFrom && b.status === 'confirmed'
      ? 'Your appointment has moved'
      : b.rescheduledTo
        ? 'This appointment was moved'
        : fresh || b.status !== 'confirmed'
          ? headline[b.status]
          : b.serviceName;

  return (
    <div className="narrow booking-detail">
      <p className="breadcrumb">
        <Link to="/bookings">‹ My bookings</Link>
      </p>
      <div className={`confirmation confirmation-${b.status}`} aria-live="polite">
        <StatusBadge status={b.status} />
        <h1 ref={titleRef} tabIndex={-1}>
          {title}
        </h1>
        {fresh && b.status === 'confirmed' && <p>We have e-mailed you the details with a calendar file.</p>}
        {moved && b.status === 'confirmed' && (
          <p>It is confirmed for the new time below; the old time is released.</p>
        )}
        {refunded && <p data-testid="refund-outcome">{refunded}</p>}
      </div>
      <div className="card">
        <dl className="summary">
          <dt>With</dt>
          <dd>
            <Link to={`/providers/${b.providerId}`}>{b.providerName}</Link>
          </dd>
          <dt>Service</dt>
          <dd>{b.serviceName}</dd>
          <dt>When</dt>
          <dd>
            {zonedRange(b.start, b.end, tz)}
            {yours && <span className="muted small"> · {yours}</span>}
          </dd>
          <dt>Price</dt>
          <dd>{money(b.priceCents, b.currency)}</dd>
          <dt>Reason</dt>
          <dd>{b.reasonForVisit || '—'}</dd>
          <dt>Status</dt>
          <dd data-testid="booking-status">{statusLabel[b.status]}</dd>
        </dl>
        <MovedNotice booking={b} />
        <div className="actions">
          {(b.status === 'confirmed' || b.status === 'in_progress') && (
            <button type="button" className="btn btn-secondary" onClick={() => void downloadCalendarFile(b)}>
              Add to calendar (.ics)
            </button>
          )}
          {b.status === 'payment_pending' &&
            b.payment &&
            (() => {
              const to = payPath(b, b.seriesId);
              return 'external' in to ? (
                <a className="btn" href={to.external}>
                  Pay now
                </a>
              ) : (
                <Link className="btn" to={to.internal}>
                  Pay now
                </Link>
              );
            })()}
          {opts.canReschedule && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => setRescheduling(!rescheduling)}
              aria-controls={rescheduling ? 'reschedule-section' : undefined}
              aria-expanded={rescheduling}
            >
              Reschedule
            </button>
          )}
          {opts.canCancel && !confirmCancel && (
            <button
              ref={cancelButton}
              type="button"
              className="btn btn-danger"
              onClick={() => askCancel(true)}
            >
              Cancel booking
            </button>
          )}
        </div>
        {opts.deadline && !opts.tooLate && (
          <p className="muted small">
            {b.priceCents > 0 ? 'Free cancellation, with a full refund,' : 'You can cancel'} until{' '}
            {zonedDateTime(opts.deadline, tz)}.
          </p>
        )}
        {opts.tooLate && (
          <p className="muted small">The online cancellation window has passed; please call the practice.</p>
        )}
        {confirmCancel && (
          <div className="confirm-box" role="alertdialog" aria-labelledby="cancel-q">
            <p id="cancel-q">
              <strong>Cancel this appointment?</strong>
            </p>
            <p data-testid="refund-before">{refundBeforeCancel(b)}</p>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => cancel.mutate()}
              disabled={cancel.isPending}
            >
              Yes, cancel it
            </button>
            <button
              ref={keepButton}
              type="button"
              className="btn btn-secondary"
              onClick={() => askCancel(false)}
            >
              Keep it
            </button>
          </div>
        )}
        {cancel.isError && (
          <p className="notice notice-error" role="alert">
            {plainMessage(cancel.error)}
          </p>
        )}
      </div>
      {rescheduling && opts.canReschedule && (
        <div id="reschedule-section">
          <RescheduleSection booking={b} />
        </div>
      )}
      {b.status === 'completed' && <ReviewForm bookingId={b.id} providerId={b.providerId} />}
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol className="history">
          {b.history.map((h, i) => (
            <li key={`${h.at}-${h.to}`}>
              {historySentence(h, b, viewer ?? { id: '', role: 'patient' }, i === b.history.length - 1)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
