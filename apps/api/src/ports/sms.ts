/**
 * Sending SMS. Adapters: a dev SMS inbox viewable in the browser (embedded) and Twilio.
 * Delivery is asynchronous: `send` answers with the provider's id and first status; later
 * statuses arrive as signed status callbacks (adapters that have them verify them here).
 */
export interface SmsMessage {
  /** E.164, e.g. +14155550123 */
  to: string;
  body: string;
  /**
   * The account the message is for. The dev inbox seals the stored number with its data key
   * (erasure shreds it); a real provider ignores it.
   */
  recipientId?: string;
  /** Where the provider posts delivery statuses; absent when none is wanted. */
  statusCallbackUrl?: string;
}

/** Twilio's message statuses; the dev inbox answers `delivered` at once. */
/** Every message status Twilio reports; a callback with any other value is ignored. */
export const SMS_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'receiving',
  'received',
  'read',
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

export const FAILED_SMS_STATUSES: readonly SmsStatus[] = ['undelivered', 'failed', 'canceled'];

export interface SmsSendResult {
  providerId: string;
  status: SmsStatus;
}

/** The provider refused the message (bad number, unreachable API, auth): nothing was sent. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly providerCode: string | null = null,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsSendResult>;
  /**
   * True when `signature` is the provider's signature of a webhook to `url` with these form
   * parameters. Adapters without webhooks (the dev inbox) have no such method.
   */
  verifyWebhook?(url: string, params: Record<string, string>, signature: string | undefined): boolean;
  close(): Promise<void>;
}
