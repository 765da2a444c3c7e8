import {
  type MessagingPreferences,
  type MessagingPreferencesUpdate,
  type ReminderChannel,
  SMS_CONSENT_TEXT,
} from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { apiRequest } from '../../api/client';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { ErrorNotice, Skeleton } from '../../ui/feedback';

const messagingKey = ['messaging-preferences'] as const;

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
    const channels: ReminderChannel[] = [
      ...(email ? ['email' as const] : []),
      ...(sms ? ['sms' as const] : []),
    ];
    const consentChanged = consent !== !!q.data?.smsConsent || (consent && phone !== (q.data?.phone ?? ''));
    save.mutate({
      phone: phone.trim() === '' ? null : phone.trim(),
      reminderChannels: channels,
      ...(consentChanged ? { smsConsent: consent } : {}),
    });
  };
  const errors = fieldErrors(save.error);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Appointment reminders</h2>
      {q.isPending ? (
        <Skeleton lines={2} label="Loading reminder settings" />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <form onSubmit={onSubmit} className="reminder-form">
          <fieldset>
            <legend>Remind me by</legend>
            <label>
              <input type="checkbox" checked={email} onChange={(e) => setEmail(e.target.checked)} /> E-mail
            </label>
            <label>
              <input type="checkbox" checked={sms} onChange={(e) => setSms(e.target.checked)} /> Text message
              (SMS)
            </label>
          </fieldset>
          <label htmlFor={`${id}-phone`}>Mobile number</label>
          <input
            id={`${id}-phone`}
            type="tel"
            autoComplete="tel"
            placeholder="+14155550123"
            value={phone}
            aria-describedby={`${id}-phone-help`}
            aria-invalid={errors.phone ? true : undefined}
            onChange={(e) => setPhone(e.target.value)}
          />
          <p className="muted small" id={`${id}-phone-help`}>
            {errors.phone ?? 'International format, starting with + and the country code.'}
          </p>
          <label>
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{' '}
            {SMS_CONSENT_TEXT}
          </label>
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
