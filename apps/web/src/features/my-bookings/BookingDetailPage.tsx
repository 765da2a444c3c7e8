import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { ErrorNotice, Skeleton, StatusBadge } from '../../ui/feedback';
import { dateTime, money, statusLabel, time, zoneLabel } from '../../ui/format';
import { payPath } from '../booking/stripe-js';
import { WeekCalendar } from '../profile/WeekCalendar';
import { downloadCalendarFile } from './calendar-file';
import { patientOptions } from './policy';
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

export function BookingDetailPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const fresh = params.get('new') === '1';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [rescheduling, setRescheduling] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
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
      setConfirmCancel(false);
    },
  });
  const reschedule = useMutation({
    mutationFn: (start: string) => api.reschedule(id, start),
    onSuccess: (b) => {
      queryClient.invalidateQueries({ queryKey: keys.bookings });
      navigate(`/bookings/${b.id}`);
      setRescheduling(false);
    },
  });

  if (q.isPending) return <Skeleton lines={6} label="Loading booking" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  const b = q.data;
  const opts = patientOptions(b);
  const tz = b.timeZone;

  return (
    <div className="narrow booking-detail">
      <p className="breadcrumb">
        <Link to="/bookings">‹ My bookings</Link>
      </p>
      <div className={`confirmation confirmation-${b.status}`} aria-live="polite">
        <StatusBadge status={b.status} />
        <h1>{fresh || b.status !== 'confirmed' ? headline[b.status] : `${b.serviceName}`}</h1>
        {fresh && b.status === 'confirmed' && <p>We have e-mailed you the details with a calendar file.</p>}
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
            {dateTime(b.start, tz)}–{time(b.end, tz)} <span className="muted small">{zoneLabel(tz)}</span>
          </dd>
          <dt>Price</dt>
          <dd>{money(b.priceCents, b.currency)}</dd>
          <dt>Reason</dt>
          <dd>{b.reasonForVisit || '—'}</dd>
          <dt>Status</dt>
          <dd data-testid="booking-status">{statusLabel[b.status]}</dd>
        </dl>
        {b.rescheduledTo && (
          <p className="notice">
            Moved to a new time. <Link to={`/bookings/${b.rescheduledTo}`}>See the new booking</Link>.
          </p>
        )}
        <div className="actions">
          {(b.status === 'confirmed' || b.status === 'in_progress') && (
            <button type="button" className="btn btn-secondary" onClick={() => void downloadCalendarFile(b)}>
              Add to calendar (.ics)
            </button>
          )}
          {b.status === 'payment_pending' &&
            b.payment &&
            (() => {
              const to = payPath(b);
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
              aria-expanded={rescheduling}
            >
              Reschedule
            </button>
          )}
          {opts.canCancel && !confirmCancel && (
            <button type="button" className="btn btn-danger" onClick={() => setConfirmCancel(true)}>
              Cancel booking
            </button>
          )}
        </div>
        {opts.deadline && !opts.tooLate && (
          <p className="muted small">Free cancellation until {dateTime(opts.deadline, tz)}.</p>
        )}
        {opts.tooLate && (
          <p className="muted small">The online cancellation window has passed; please call the practice.</p>
        )}
        {confirmCancel && (
          <div className="confirm-box" role="alertdialog" aria-labelledby="cancel-q">
            <p id="cancel-q">
              Cancel this appointment?{' '}
              {b.priceCents > 0 && b.status === 'confirmed' ? 'You will be refunded in full.' : ''}
            </p>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => cancel.mutate()}
              disabled={cancel.isPending}
            >
              Yes, cancel it
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirmCancel(false)}>
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
      {rescheduling && (
        <section className="card" aria-labelledby="reschedule-title">
          <h2 id="reschedule-title">Pick a new time</h2>
          {reschedule.isError && (
            <p className="notice notice-error" role="alert">
              {plainMessage(reschedule.error)}
            </p>
          )}
          <WeekCalendar
            providerId={b.providerId}
            serviceId={b.serviceId}
            providerZone={tz}
            onPick={(slot) => reschedule.mutate(slot.start)}
          />
        </section>
      )}
      {b.status === 'completed' && <ReviewForm bookingId={b.id} providerId={b.providerId} />}
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol className="history">
          {b.history.map((h) => (
            <li key={`${h.at}-${h.to}`}>
              <span>{statusLabel[h.to]}</span>
              <span className="muted small">
                {dateTime(h.at, tz)}
                {h.reason ? ` — ${h.reason}` : ''}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
