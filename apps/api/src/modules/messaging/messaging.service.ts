import {
  type MessagingPreferences,
  type MessagingPreferencesUpdate,
  type ReminderChannel,
  SMS_CONSENT_TEXT,
} from '@carebook/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { DomainError } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { Mailer } from '../../ports/mailer';
import {
  FAILED_SMS_STATUSES,
  SMS_STATUSES,
  SmsSendError,
  type SmsSender,
  type SmsStatus,
} from '../../ports/sms';
import type { UsersRepository } from '../accounts/users.repository';
import { inboundKeyword } from './domain/reminders';
import type { MessagingRepository, PreferencesRow, SmsRow } from './messaging.repository';

const TERMINAL = new Set(['delivered', 'undelivered', 'failed', 'canceled', 'read']);

export interface OutgoingSms {
  userId: string;
  bookingId: string | null;
  to: string;
  body: string;
  /** Sent to the account's e-mail address instead when the SMS fails. */
  fallback: { subject: string; text: string };
}

const channelsOf = (row: PreferencesRow | undefined): ReminderChannel[] =>
  (row?.reminder_channels ?? '').split(',').filter((c): c is ReminderChannel => c === 'email' || c === 'sms');

/** True when this account may be sent SMS: a number, consent on record, and no STOP since. */
export const smsAllowed = (row: PreferencesRow | undefined): row is PreferencesRow & { phone: string } =>
  !!row?.phone && !!row.sms_consent_at && !row.sms_opted_out_at && channelsOf(row).includes('sms');

/**
 * Patients' messaging preferences (phone, channels, SMS consent), sending SMS with delivery
 * tracking and the e-mail fallback, and the provider's webhooks (status callbacks, STOP/START).
 */
export class MessagingService {
  constructor(
    private readonly d: {
      repo: MessagingRepository;
      users: UsersRepository;
      sms: SmsSender;
      mailer: Mailer;
      clock: Clock;
      log: Pick<FastifyBaseLogger, 'warn' | 'info' | 'error'>;
      /** The absolute URL of the status-callback route, or null when the adapter has no callbacks. */
      statusCallbackUrl: string | null;
    },
  ) {}

  async preferences(userId: string): Promise<MessagingPreferences> {
    return view(await this.d.repo.preferences(userId));
  }

  async updatePreferences(userId: string, update: MessagingPreferencesUpdate): Promise<MessagingPreferences> {
    const current = await this.d.repo.preferences(userId);
    const now = toDbTime(this.d.clock.now());
    const wantsSms = update.reminderChannels.includes('sms');
    if (wantsSms && !update.phone)
      throw new DomainError('SMS_CONSENT_REQUIRED', 'SMS reminders need a mobile number.', {
        errors: [{ path: '/phone', message: 'required for SMS reminders' }],
      });
    const samePhone = !!current?.phone && current.phone === update.phone;
    let consentAt = samePhone ? (current?.sms_consent_at ?? null) : null;
    let consentText = samePhone ? (current?.sms_consent_text ?? null) : null;
    let optedOut = samePhone ? (current?.sms_opted_out_at ?? null) : null;
    if (update.smsConsent === true) {
      consentAt = now;
      consentText = SMS_CONSENT_TEXT;
      optedOut = null;
    } else if (update.smsConsent === false) {
      consentAt = null;
      consentText = null;
    }
    if (wantsSms && !consentAt)
      throw new DomainError(
        'SMS_CONSENT_REQUIRED',
        'Agree to receive reminders by SMS at this number (smsConsent: true) to turn SMS on.',
        { errors: [{ path: '/smsConsent', message: 'consent is required for SMS reminders' }] },
      );
    const row: PreferencesRow = {
      user_id: userId,
      phone: update.phone,
      reminder_channels: [...new Set(update.reminderChannels)].sort().join(','),
      sms_consent_at: consentAt,
      sms_consent_text: consentText,
      sms_opted_out_at: optedOut,
      updated_at: now,
    };
    await this.d.repo.savePreferences(row);
    return view(row);
  }

  /**
   * Sends one SMS and records it. When the provider refuses it (or does not answer) the e-mail
   * goes out at once; a later `undelivered`/`failed` status callback sends it then.
   */
  async sendSms(m: OutgoingSms): Promise<SmsRow> {
    const now = toDbTime(this.d.clock.now());
    const row: SmsRow = {
      id: newId(),
      user_id: m.userId,
      booking_id: m.bookingId,
      to_phone: m.to,
      body: m.body,
      provider_id: null,
      status: 'sending',
      error: null,
      fallback_email_subject: m.fallback.subject,
      fallback_email_text: m.fallback.text,
      fallback_emailed_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.d.repo.insertSms(row);
    try {
      const sent = await this.d.sms.send({
        to: m.to,
        body: m.body,
        recipientId: m.userId,
        // Our id rides in the callback's address (signed with it), so a status that arrives before
        // the provider's id is saved below still finds its message.
        ...(this.d.statusCallbackUrl
          ? { statusCallbackUrl: `${this.d.statusCallbackUrl}?sms=${encodeURIComponent(row.id)}` }
          : {}),
      });
      // A callback may have raced ahead of this answer; never step back from a final status.
      const latest = (await this.d.repo.smsStatus(row.id)) ?? row.status;
      const status = TERMINAL.has(latest) ? latest : sent.status;
      Object.assign(row, { provider_id: sent.providerId, status, updated_at: toDbTime(this.d.clock.now()) });
      await this.d.repo.updateSms(row.id, {
        provider_id: row.provider_id,
        status,
        updated_at: row.updated_at,
      });
      if (FAILED_SMS_STATUSES.includes(status as SmsStatus)) await this.fallBack(row);
    } catch (err) {
      if (!(err instanceof SmsSendError)) throw err;
      this.d.log.warn({ err, smsId: row.id }, 'SMS refused; falling back to e-mail');
      const error = `${err.providerCode ? `${err.providerCode}: ` : ''}${err.message}`.slice(0, 500);
      Object.assign(row, { status: 'failed', error, updated_at: toDbTime(this.d.clock.now()) });
      await this.d.repo.updateSms(row.id, { status: 'failed', error, updated_at: row.updated_at });
      await this.fallBack(row);
    }
    return row;
  }

  /**
   * A delivery status from the provider (already verified). `ref`: our message id from the
   * callback's address (sendSms puts it there), for a callback that arrives before the provider's
   * id is saved. Unknown messages are ignored.
   */
  async statusCallback(params: Record<string, string>, ref?: string): Promise<'updated' | 'ignored'> {
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!sid || !status || !(SMS_STATUSES as readonly string[]).includes(status)) return 'ignored';
    const row = await this.d.repo.smsForCallback(sid, ref);
    if (!row) return 'ignored';
    if (TERMINAL.has(row.status)) {
      // A retried callback after the fallback e-mail failed to go out: try it again.
      if (FAILED_SMS_STATUSES.includes(row.status as SmsStatus) && !row.fallback_emailed_at)
        await this.fallBack(row);
      return 'ignored';
    }
    const error = params.ErrorCode ? `Twilio error ${params.ErrorCode}`.slice(0, 500) : row.error;
    await this.d.repo.updateSms(row.id, {
      provider_id: sid,
      status,
      error,
      updated_at: toDbTime(this.d.clock.now()),
    });
    if (FAILED_SMS_STATUSES.includes(status as SmsStatus)) await this.fallBack({ ...row, status, error });
    return 'updated';
  }

  /** An SMS sent to our number: STOP opts the number out, START back in. */
  async inbound(params: Record<string, string>): Promise<'opted-out' | 'opted-in' | 'ignored'> {
    const from = params.From ?? '';
    const keyword = inboundKeyword(params.Body ?? '');
    if (!from || (keyword !== 'stop' && keyword !== 'start')) return 'ignored';
    const at = keyword === 'stop' ? toDbTime(this.d.clock.now()) : null;
    const changed = await this.d.repo.setOptedOut(from, at);
    this.d.log.info({ keyword, accounts: changed }, 'SMS keyword received');
    return keyword === 'stop' ? 'opted-out' : 'opted-in';
  }

  verifyWebhook(url: string, params: Record<string, string>, signature: string | undefined): void {
    if (!this.d.sms.verifyWebhook?.(url, params, signature))
      throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The X-Twilio-Signature header does not match.');
  }

  /** The e-mail a failed SMS stood for; once per message (a retried callback sends nothing). */
  private async fallBack(row: SmsRow): Promise<void> {
    if (!(await this.d.repo.takeFallback(row.id, toDbTime(this.d.clock.now())))) return;
    const user = await this.d.users.byId(row.user_id);
    if (!user) return;
    try {
      await this.d.mailer.send({
        to: user.email,
        subject: row.fallback_email_subject,
        text: `${row.fallback_email_text}\n\n(We sent this by e-mail because the text message to ${row.to_phone} could not be delivered.)`,
        idempotencyKey: `sms-fallback:${row.id}`,
      });
    } catch (err) {
      // Give the next status callback (or a retry of this one) the chance to send it.
      await this.d.repo.releaseFallback(row.id);
      throw err;
    }
  }
}

function view(row: PreferencesRow | undefined): MessagingPreferences {
  return {
    phone: row?.phone ?? null,
    reminderChannels: channelsOf(row),
    smsConsent:
      row?.sms_consent_at && row.sms_consent_text
        ? { at: fromDbTime(row.sms_consent_at).toISOString(), text: row.sms_consent_text }
        : null,
    smsOptedOutAt: row?.sms_opted_out_at ? fromDbTime(row.sms_opted_out_at).toISOString() : null,
  };
}
