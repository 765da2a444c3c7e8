import type { Booking } from '@carebook/contracts';

/**
 * The part of Stripe.js (https://js.stripe.com/v3/) the checkout uses: the Payment Element and
 * `confirmPayment`. Card details are typed into Stripe's own iframe and go to Stripe, never to us;
 * the booking is confirmed by Stripe's signed webhook, and the page follows it live.
 */
export interface StripeJs {
  elements(options: { clientSecret: string; appearance?: object }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    confirmParams: { return_url: string };
    redirect: 'if_required';
  }): Promise<{
    error?: { type?: string; code?: string; decline_code?: string; message?: string };
    paymentIntent?: { id: string; status: string };
  }>;
}
export interface StripeElements {
  create(type: 'payment', options?: object): StripeElement;
}
export interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}
export type StripeFactory = (publishableKey: string) => StripeJs;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';
let loading: Promise<StripeFactory> | null = null;

/** Loads Stripe.js once (Stripe requires it from js.stripe.com, never bundled). */
export function loadStripeJs(): Promise<StripeFactory> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS_URL;
    script.async = true;
    script.onload = () =>
      window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js loaded without Stripe()'));
    script.onerror = () => {
      loading = null; // a later attempt may succeed
      script.remove();
      reject(new Error('The card form could not be loaded from Stripe.'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/**
 * Where a booking awaiting payment is paid: the built-in checkout, a hosted one, or Stripe here.
 * `seriesId`: the booking is a date of a paid series, whose one payment covers every date (the
 * pay pages then show the series' total and end on the series page).
 */
export function payPath(
  b: Pick<Booking, 'id' | 'payment'>,
  seriesId?: string,
): { internal: string } | { external: string } {
  const series = seriesId ? `series=${encodeURIComponent(seriesId)}` : '';
  if (b.payment?.intentId.startsWith('pi_sim_'))
    return { internal: `/checkout/${b.payment.intentId}?booking=${b.id}${series && `&${series}`}` };
  if (b.payment?.checkoutUrl) return { external: b.payment.checkoutUrl };
  return { internal: `/pay/${b.id}${series && `?${series}`}` };
}

/** Where a paid booking (or series) is shown once the payment went through. */
export const paidPath = (bookingId: string, seriesId: string | null) =>
  seriesId ? `/series/${encodeURIComponent(seriesId)}?new=1` : `/bookings/${bookingId}?new=1`;
