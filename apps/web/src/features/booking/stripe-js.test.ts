import { describe, expect, it } from 'vitest';
import { payPath } from './stripe-js';

const pending = (payment: { intentId: string; checkoutUrl: string | null }) => ({
  id: 'b1',
  payment: { ...payment, clientSecret: 's', status: 'requires_payment_method' },
});

describe('payPath', () => {
  it('sends each provider’s booking to its own checkout', () => {
    expect(payPath(pending({ intentId: 'pi_sim_1', checkoutUrl: 'http://x/checkout/pi_sim_1' }))).toEqual({
      internal: '/checkout/pi_sim_1?booking=b1',
    });
    expect(payPath(pending({ intentId: 'pi_1', checkoutUrl: 'https://pay.example/session/1' }))).toEqual({
      external: 'https://pay.example/session/1',
    });
    expect(payPath(pending({ intentId: 'pi_1', checkoutUrl: null }))).toEqual({ internal: '/pay/b1' });
  });
});
