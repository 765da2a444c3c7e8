import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { Field } from '../../ui/Field';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';
import { useFocusFirstError } from '../../ui/use-focus-first-error';
import { AccessLogSection } from './AccessLogSection';
import { CalendarFeedPanel } from './CalendarFeedPanel';
import { DataRightsSection } from './DataRightsSection';
import { ProfileSection } from './ProfileSection';
import { ReminderPreferencesPanel } from './ReminderPreferencesPanel';
import './account.css';

function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const browser = /Firefox/.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrom/.test(ua)
        ? 'Chrome'
        : /Safari/.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

function Sessions() {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: keys.sessions, queryFn: api.sessions });
  const revoke = useMutation({
    mutationFn: api.revokeSession,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
  const tz = localZone();
  if (q.isPending) return <Skeleton lines={3} label="Loading sessions" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  return (
    <ul className="plain-list">
      {q.data.items.map((s) => (
        <li key={s.id} className="session-row">
          <div>
            <strong>{describeAgent(s.userAgent)}</strong>
            {s.current && <span className="badge badge-confirmed">This device</span>}
            <p className="muted small">
              Signed in {dateTime(s.createdAt, tz)} · last active {dateTime(s.lastUsedAt, tz)}
              {s.ip ? ` · ${s.ip}` : ''}
            </p>
          </div>
          {!s.current && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => revoke.mutate(s.id)}>
              Sign out
            </button>
          )}
        </li>
      ))}
      {revoke.isError && <li className="notice notice-error">{plainMessage(revoke.error)}</li>}
    </ul>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { ref: formRef, focusFirstError } = useFocusFirstError();
  const queryClient = useQueryClient();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!current) local.currentPassword = 'Enter your current password.';
    if (next.length < 10) local.newPassword = 'Use at least 10 characters.';
    setErrors(local);
    setMessage(null);
    if (Object.keys(local).length) return focusFirstError();
    try {
      const r = await api.changePassword(current, next);
      setMessage({
        ok: true,
        text: `Password changed. ${r.otherSessionsRevoked} other session(s) signed out.`,
      });
      setCurrent('');
      setNext('');
      queryClient.invalidateQueries({ queryKey: keys.sessions });
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage({ ok: false, text: plainMessage(err) });
      focusFirstError();
    }
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      <Field label="Current password" error={errors.currentPassword}>
        <input
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field label="New password" hint="At least 10 characters." error={errors.newPassword}>
        <input
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </Field>
      {message && (
        <p
          className={`notice${message.ok ? ' notice-ok' : ' notice-error'}`}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
      <button type="submit" className="btn">
        Change password
      </button>
    </form>
  );
}

export function AccountPage() {
  const user = useAppSelector((s) => s.session.user);
  if (!user) return null;
  return (
    <div className="narrow">
      <h1>Your account</h1>
      <section className="card" aria-labelledby="me-title">
        <h2 id="me-title">{user.displayName}</h2>
        <dl className="facts">
          <dt>E-mail</dt>
          <dd>{user.email}</dd>
          <dt>Account type</dt>
          <dd>{user.role}</dd>
          {user.role === 'provider' && (
            <>
              <dt>Verification</dt>
              <dd>{user.verified ? 'Verified' : 'Awaiting verification by our team'}</dd>
            </>
          )}
        </dl>
      </section>
      {user.role !== 'admin' && <CalendarFeedPanel practice={user.role !== 'patient'} />}
      {user.role === 'patient' && <ProfileSection />}
      {user.role === 'patient' && <ReminderPreferencesPanel />}
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you're signed in</h2>
        <Sessions />
      </section>
      <section className="card">
        <PasswordForm />
      </section>
      <AccessLogSection />
      <DataRightsSection />
    </div>
  );
}
