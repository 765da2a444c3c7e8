import { type Static, Type } from '@sinclair/typebox';
import { DateTime } from './common';

/**
 * The words a patient agrees to when turning SMS reminders on. The exact text is recorded with
 * the consent (and its time), so a later change of wording never rewrites what someone agreed to.
 */
export const SMS_CONSENT_TEXT =
  'I agree to receive appointment reminders from Carebook by SMS at this number. Message and data rates may apply. Reply STOP to opt out, START to opt back in.';

export const ReminderChannel = Type.Union([Type.Literal('email'), Type.Literal('sms')]);
export type ReminderChannel = Static<typeof ReminderChannel>;

/** E.164: a plus, a country code and up to 15 digits in all. */
export const PhoneNumber = Type.String({
  pattern: '^\\+[1-9][0-9]{6,14}$',
  description: 'Mobile number in E.164 form, e.g. +14155550123',
});

export const MessagingPreferences = Type.Object(
  {
    phone: Type.Union([PhoneNumber, Type.Null()]),
    reminderChannels: Type.Array(ReminderChannel, { uniqueItems: true }),
    smsConsent: Type.Union([
      Type.Object({ at: DateTime, text: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    /** Set when the number replied STOP (cleared by START or by consenting again). */
    smsOptedOutAt: Type.Union([DateTime, Type.Null()]),
  },
  { $id: 'MessagingPreferences', additionalProperties: false },
);
export type MessagingPreferences = Static<typeof MessagingPreferences>;

export const MessagingPreferencesUpdate = Type.Object(
  {
    phone: Type.Union([PhoneNumber, Type.Null()]),
    reminderChannels: Type.Array(ReminderChannel, { uniqueItems: true, maxItems: 2 }),
    /**
     * Required (true) when `sms` is among the channels: the patient ticked the box next to
     * SMS_CONSENT_TEXT. Consent is recorded with the time and that text.
     */
    smsConsent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MessagingPreferencesUpdate = Static<typeof MessagingPreferencesUpdate>;
