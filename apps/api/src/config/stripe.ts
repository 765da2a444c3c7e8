import { redactUrl } from './redact';

/** STRIPE_API_URL: another Stripe API host (stripe-mock, a proxy); Stripe's own when unset. */
export function stripeApi(
  raw: string | undefined,
  problems: string[],
): { api?: { host: string; port: number; protocol: 'http' | 'https' } } {
  if (!raw) return {};
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    const protocol = u.protocol === 'http:' ? 'http' : 'https';
    return { api: { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol } };
  } catch {
    problems.push(`STRIPE_API_URL: must be an http(s) URL (got "${redactUrl(raw)}")`);
    return {};
  }
}
