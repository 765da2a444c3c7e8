import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { draftCleared } from '../../app/booking-draft-slice';
import { useAppDispatch } from '../../app/store';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { money, zonedDateTime, zonedRange } from '../../ui/format';
import { declineAdvice } from './decline-advice';
import { seriesSummary, usePaidSeries } from './paid-series';
import { loadStripeJs, paidPath, type StripeElements, type StripeJs } from './stripe-js';

/**
 * Paying a booking with Stripe: Stripe.js's Payment Element collects the card; `confirmPayment`
 * sends it to Stripe; Stripe's signed webhook confirms the booking, which the booking page then
 * shows live. 3-D Secure and other redirects return to the booking page.
 */
export function StripePayPage() {
  const { bookingId = '' } = useParams();
  const [params] = useSearchParams();
  const booking = useQuery({ queryKey: ['pay-booking', bookingId], queryFn: () => api.booking(bookingId) });
  // A date of a paid series: the one payment is for every date (the booking names its series too).
  const seriesParam = params.get('series') ?? booking.data?.seriesId ?? null;
  const { series, loading: seriesLoading, error: seriesError } = usePaidSeries(seriesParam);
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const config = useQuery({
    queryKey: ['payments-config'],
    queryFn: api.paymentsConfig,
    staleTime: Infinity,
  });
  const mountRef = useRef<HTMLDivElement>(null);
  const stripeRef = useRef<{ stripe: StripeJs; elements: StripeElements } | null>(null);
  const [formState, setFormState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [payError, setPayError] = useState<string | null>(null);

  const secret = booking.data?.payment?.clientSecret;
  const publishableKey = config.data?.provider === 'stripe' ? config.data.publishableKey : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the mount on "Try again"
  useEffect(() => {
    // Mounted once the form is on the page (not while the series' total is still loading).
    if (!secret || !publishableKey || seriesLoading || !mountRef.current) return;
    let cancelled = false;
    let element: { destroy(): void } | null = null;
    setFormState('loading');
    loadStripeJs()
      .then((Stripe) => {
        if (cancelled || !mountRef.current) return;
        const stripe = Stripe(publishableKey);
        const elements = stripe.elements({ clientSecret: secret });
        const payment = elements.create('payment');
        payment.mount(mountRef.current);
        element = payment;
        stripeRef.current = { stripe, elements };
        setFormState('ready');
      })
      .catch(() => !cancelled && setFormState('failed'));
    return () => {
      cancelled = true;
      element?.destroy();
      stripeRef.current = null;
    };
  }, [secret, publishableKey, attempt, seriesLoading]);

  if (booking.isError) return <ErrorNotice error={booking.error} />;
  if (seriesError) return <ErrorNotice error={seriesError} />;
  if (config.isError) return <ErrorNotice error={config.error} />;
  if (!booking.data || !config.data || seriesLoading) return <Skeleton lines={5} label="Loading payment" />;
  const b = booking.data;
  if (config.data.provider !== 'stripe' || b.status !== 'payment_pending' || !b.payment)
    return <Navigate to={`/bookings/${b.id}`} replace />;
  const holdUntil = b.holdExpiresAt ? zonedDateTime(b.holdExpiresAt, b.timeZone) : null;
  // A date of a paid series: its one payment is for the whole series.
  const amount = series ? money(series.totalCents, series.currency) : money(b.priceCents, b.currency);
  const done = paidPath(b.id, series?.id ?? null);

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    const ready = stripeRef.current;
    if (!ready || busy) return;
    setBusy(true);
    setPayError(null);
    const result = await ready.stripe.confirmPayment({
      elements: ready.elements,
      confirmParams: { return_url: `${window.location.origin}${done}` },
      redirect: 'if_required',
    });
    setBusy(false);
    if (result.error) {
      const e = result.error;
      setPayError(
        e.type === 'card_error'
          ? declineAdvice(e.decline_code ?? e.code, holdUntil)
          : (e.message ?? 'The payment did not go through. Please try again.'),
      );
      return;
    }
    dispatch(draftCleared());
    navigate(done);
  };

  return (
    <div className="narrow checkout">
      <h1>Pay for your booking</h1>
      <div className="card">
        <p>
          <strong>{b.serviceName}</strong> with {b.providerName}
          <br />
          {zonedRange(b.start, b.end, b.timeZone)}
          {series && (
            <>
              <br />
              {seriesSummary(series)}
            </>
          )}
        </p>
        <p className="price">{amount}</p>
        {holdUntil && <p className="muted small">Your time is held until {holdUntil}.</p>}
        <form onSubmit={pay} aria-busy={busy}>
          <div ref={mountRef} className="stripe-element" data-testid="stripe-payment-element" />
          {formState === 'loading' && <Skeleton lines={3} label="Loading the card form" />}
          {formState === 'failed' && (
            <div className="notice error" role="alert">
              <p>The card form could not be loaded from Stripe. Check your connection and try again.</p>
              <button type="button" className="btn btn-secondary" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          )}
          {payError && (
            <p className="notice error" role="alert">
              {payError}
            </p>
          )}
          <button type="submit" className="btn" disabled={formState !== 'ready' || busy}>
            {busy ? 'Paying…' : `Pay ${amount}`}
          </button>
        </form>
        <p className="muted small">
          Card details go straight to Stripe. <Link to={`/bookings/${b.id}`}>Back to the booking</Link>
        </p>
      </div>
    </div>
  );
}
