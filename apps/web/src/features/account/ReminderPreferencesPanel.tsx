import {
  type MessagingPreferences,
  type MessagingPreferencesUpdate,
  PhoneNumber,
  type ReminderChannel,
  SMS_CONSENT_TEXT,
} from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { apiRequest } from '../../api/client';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { Field } from '../../ui/Field';
import { ErrorNotice, Skeleton } from '../../ui/feedback';

const messagingKey = ['messaging-preferences'] as const;
/** What the API accepts as a mobile number (E.164). */
const E164 = new RegExp(PhoneNumber.pattern as string);

interface Problems {
  phone?: string;
  consent?: string;
}

const messagingApi = {
  get: () => apiRequest<MessagingPreferences>('/api/v1/me/messaging'),
  put: (body: MessagingPreferencesUpdate) =>
    apiRequest<MessagingPreferences>('/api/v1/me/messaging', { method: 'PUT', body }),
};

/**
 * A patient's appointment reminders: by e-mail and/or SMS. SMS needs a mobile number and the
 * consent box (the server records the time and the exact text). Hidden when the server sends
 * no SMS at all (the preferences route is not there).
 */
export function ReminderPreferencesPanel() {
  const id = useId();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: messagingKey, queryFn: messagingApi.get, retry: false });
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState(true);
  const [sms, setSms] = useState(false);
  const [consent, setConsent] = useState(false);
  const [saved, setSaved] = useState(false);
  const [local, setLocal] = useState<Problems>({});
  const phoneInput = useRef<HTMLInputElement>(null);
  const consentInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!q.data) return;
    setPhone(q.data.phone ?? '');
    setEmail(q.data.reminderChannels.includes('email'));
    setSms(q.data.reminderChannels.includes('sms'));
    setConsent(!!q.data.smsConsent);
  }, [q.data]);
  const save = useMutation({
    mutationFn: messagingApi.put,
    onSuccess: async (data) => {
      setSaved(true);
      queryClient.setQueryData(messagingKey, data);
    },
  });
  if (q.error instanceof ApiError && q.error.status === 404) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // The number as typed, with the spaces, dashes and brackets people write it with taken out.
    const number = phone.replace(/[\s().-]/g, '');
    const problems: Problems = {};
    if (number !== '' && !E164.test(number))
      problems.phone = 'Enter the number with + and the country code, e.g. +14155550123.';
    else if (sms && number === '') problems.phone = 'Enter your mobile number to get text reminders.';
    if (sms && !consent) problems.consent = 'Tick this box to get text reminders.';
    setLocal(problems);
    if (problems.phone) return phoneInput.current?.focus();
    if (problems.consent) return consentInput.current?.focus();
    const channels: ReminderChannel[] = [
      ...(email ? ['email' as const] : []),
      ...(sms ? ['sms' as const] : []),
    ];
    const consentChanged = consent !== !!q.data?.smsConsent || (consent && number !== (q.data?.phone ?? ''));
    save.mutate({
      phone: number === '' ? null : number,
      reminderChannels: channels,
      ...(consentChanged ? { smsConsent: consent } : {}),
    });
  };
  const server = fieldErrors(save.error);
  const phoneError = local.phone ?? (server.phone ? 'Check this number.' : undefined);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Appointment reminders</h2>
      {q.isPending ? (
        <Skeleton lines={2} label="Loading reminder settings" />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <form onSubmit={onSubmit} className="reminder-form" noValidate>
          <fieldset>
            <legend>Remind me by</legend>
            <label className="check">
              <input type="checkbox" checked={email} onChange={(e) => setEmail(e.target.checked)} /> E-mail
            </label>
            <label className="check">
              <input type="checkbox" checked={sms} onChange={(e) => setSms(e.target.checked)} /> Text message
              (SMS)
            </label>
          </fieldset>
          <Field
            label="Mobile number"
            hint="International format, starting with + and the country code."
            error={phoneError}
          >
            <input
              ref={phoneInput}
              type="tel"
              autoComplete="tel"
              placeholder="+14155550123"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </Field>
          <div className="reminder-consent">
            <label className="check check-long">
              <input
                ref={consentInput}
                type="checkbox"
                checked={consent}
                aria-invalid={local.consent ? true : undefined}
                aria-describedby={local.consent ? `${id}-consent-error` : undefined}
                onChange={(e) => setConsent(e.target.checked)}
              />{' '}
              {SMS_CONSENT_TEXT}
            </label>
            {local.consent && (
              <p className="field-error" id={`${id}-consent-error`}>
                {local.consent}
              </p>
            )}
          </div>
          {q.data?.smsOptedOutAt && (
            <p className="notice" role="note">
              You replied STOP to our texts. Tick the box again (or text START) to receive SMS reminders.
            </p>
          )}
          <div className="actions">
            <button type="submit" className="btn" disabled={save.isPending}>
              Save reminder settings
            </button>
          </div>
        </form>
      )}
      {saved && !save.error && (
        <p className="notice notice-ok" role="status">
          Reminder settings saved.
        </p>
      )}
      {save.error && (
        <p className="notice notice-error" role="alert">
          {plainMessage(save.error)}
        </p>
      )}
    </section>
  );
}
