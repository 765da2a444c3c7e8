/**
 * What a patient should do after a card is declined, in plain words, from Stripe's `decline_code`
 * (or `code`) — the simulated checkout reports the same codes. Unknown codes, and the ones Stripe
 * asks not to explain (`fraudulent`, `lost_card`, …), get the general advice.
 */
const advice: Record<string, string> = {
  insufficient_funds: 'The card does not have enough funds for this payment. Try another card.',
  expired_card: 'This card has expired. Check the expiry date, or use another card.',
  incorrect_cvc:
    'The security code (CVC) is not right. Check the 3 digits on the back of the card and try again.',
  invalid_cvc:
    'The security code (CVC) is not right. Check the 3 digits on the back of the card and try again.',
  incorrect_number: 'The card number is not right. Check it and try again.',
  invalid_number: 'The card number is not right. Check it and try again.',
  invalid_expiry_month: 'The expiry date is not right. Check it and try again.',
  invalid_expiry_year: 'The expiry date is not right. Check it and try again.',
  card_velocity_exceeded:
    'The card has reached its spending limit. Try another card, or ask your bank to raise the limit.',
  withdrawal_count_limit_exceeded:
    'The card has reached its spending limit. Try another card, or ask your bank to raise the limit.',
  authentication_required:
    'Your bank wants to confirm this payment. Try again and complete the check your bank shows, or use another card.',
  processing_error: 'The card could not be processed just now. Wait a moment and try again.',
  currency_not_supported: 'This card cannot pay in this currency. Try another card.',
  card_not_supported: 'This card cannot be used for this payment. Try another card.',
};

const general =
  'Your bank declined the card. Try another card, or call the number on the back of your card to ask your bank why.';

/** `holdUntil`: when the held time is released, as the page shows it. */
export function declineAdvice(code: string | null | undefined, holdUntil?: string | null): string {
  const what = (code && advice[code]) || general;
  return `${what} You have not been charged${holdUntil ? `; your time is held until ${holdUntil}` : ''}.`;
}
