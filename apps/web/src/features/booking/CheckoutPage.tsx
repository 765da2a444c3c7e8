import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, plainMessage } from '../../api/problem';
import { draftCleared } from '../../app/booking-draft-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { Field } from '../../ui/Field';
import { ErrorNotice, LoadError, Skeleton } from '../../ui/feedback';
import { money, zonedDateTime, zonedRange } from '../../ui/format';
import { declineAdvice } from './decline-advice';
import { seriesSummary, usePaidSeries } from './paid-series';
import { paidPath } from './stripe-js';

/**
 * The simulated provider's checkout (embedded profile). The client secret comes from the
 * patient's own booking; the outcome reaches the booking through the signed webhook, and the
 * confirmation page then turns "confirmed" live.
 */
export function CheckoutPage() {
  const { intentId = '' } = useParams();
  const [params] = useSearchParams();
  const bookingParam = params.get('booking');
  const seriesParam = params.get('series');
  const sessionStatus = useAppSelector((s) => s.session.status);
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const [card, setCard] = useState('');
  const [cardError, setCardError] = useState<string>();
  const [payError, setPayError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The Pay button is disabled while paying, which drops focus: a failure puts it back on the card.
  const cardInput = useRef<HTMLInputElement>(null);

  const booking = useQuery({
    queryKey: ['checkout-booking', intentId, bookingParam],
    enabled: sessionStatus === 'signedIn',
    queryFn: async () => {
      if (bookingParam) return api.booking(bookingParam);
      const page = await api.bookings({ status: 'payment_pending', pageSize: 100 });
      const found = page.items.find((b) => b.payment?.intentId === intentId);
      if (!found)
        throw new ApiError({
          type: 'about:blank',
          title: 'Not found',
          status: 404,
          code: 'NOT_FOUND',
          detail: 'No booking waits for this payment.',
          requestId: '',
        });
      return found;
    },
  });
  // A date of a paid series (the address or the booking says): the one payment is for every date.
  const { series, loading: seriesLoading } = usePaidSeries(seriesParam ?? booking.data?.seriesId);
  const secret = booking.data?.payment?.clientSecret ?? '';
  const intent = useQuery({
    queryKey: ['intent', intentId],
    enabled: Boolean(secret),
    queryFn: () => api.checkoutIntent(intentId, secret),
  });

  if (sessionStatus === 'signedOut') {
    return (
      <p className="notice">
        <Link
          to={`/sign-in?next=${encodeURIComponent(`/checkout/${intentId}${bookingParam ? `?booking=${bookingParam}` : ''}`)}`}
        >
          Sign in
        </Link>{' '}
        to pay for your booking.
      </p>
    );
  }
  if (booking.isError)
    return (
      <LoadError error={booking.error} notFound="Nothing to pay here">
        <p>
          No booking in your account waits for this payment: it may be paid already, or the time was released.{' '}
          <Link to="/bookings">See your bookings</Link>.
        </p>
      </LoadError>
    );
  if (intent.isError) return <ErrorNotice error={intent.error} />;
  if (!booking.data || !intent.data || seriesLoading) return <Skeleton lines={5} label="Loading payment" />;
  const b = booking.data;
  const i = intent.data;
  const holdUntil = b.holdExpiresAt ? zonedDateTime(b.holdExpiresAt, b.timeZone) : null;

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    const digits = card.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(digits)) {
      setCardError('Enter the card number: 12 to 19 digits.');
      cardInput.current?.focus();
      return;
    }
    setCardError(undefined);
    setPayError(null);
    setBusy(true);
    try {
      await api.pay(i.id, secret, digits);
      dispatch(draftCleared());
      navigate(paidPath(b.id, series?.id ?? null));
    } catch (err) {
      // A decline is a 422; the intent then says why (Stripe's decline code).
      const fresh = await intent.refetch();
      setPayError(
        err instanceof ApiError && err.code === 'UNPROCESSABLE'
          ? declineAdvice(fresh.data?.lastDeclineCode, holdUntil)
          : plainMessage(err),
      );
      cardInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>Payment</h1>
      <div className="card">
        <dl className="summary">
          <dt>Appointment</dt>
          <dd>
            {b.serviceName} with {b.providerName}
          </dd>
          <dt>{series ? 'First visit' : 'When'}</dt>
          <dd>{zonedRange(b.start, b.end, b.timeZone)}</dd>
          {series && (
            <>
              <dt>Visits</dt>
              <dd>{seriesSummary(series)}</dd>
            </>
          )}
          <dt>Total</dt>
          <dd className="total">{money(i.amountCents, i.currency)}</dd>
        </dl>
      </div>
      {i.status === 'succeeded' ? (
        <div className="card">
          <p>This payment is complete.</p>
          <Link className="btn" to={`/bookings/${b.id}`}>
            See your booking
          </Link>
        </div>
      ) : i.status === 'canceled' ? (
        <p className="notice notice-error">
          This payment was cancelled; the hold has ended. Please book again.
        </p>
      ) : (
        <form className="card" onSubmit={pay} noValidate aria-labelledby="card-title">
          <h2 id="card-title">Card details</h2>
          <p className="notice small">
            Test mode: use <code>4242 4242 4242 4242</code> to succeed or <code>4000 0000 0000 0002</code> to
            see a decline.
          </p>
          <Field label="Card number" error={cardError}>
            <input
              ref={cardInput}
              inputMode="numeric"
              autoComplete="cc-number"
              value={card}
              onChange={(e) => setCard(e.target.value)}
            />
          </Field>
          {payError && (
            <p className="notice notice-error" role="alert">
              {payError}
            </p>
          )}
          <button type="submit" className="btn" disabled={busy} aria-busy={busy}>
            {busy ? 'Paying…' : `Pay ${money(i.amountCents, i.currency)}`}
          </button>
          {holdUntil && <p className="muted small">Your time is held until {holdUntil}.</p>}
        </form>
      )}
    </div>
  );
}
