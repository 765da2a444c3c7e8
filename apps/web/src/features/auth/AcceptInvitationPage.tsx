import type { StaffInvitationPreview } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { useSession } from '../../app/session';
import { Field } from '../../ui/Field';
import { Skeleton } from '../../ui/feedback';
import { linkTokenFrom } from './link-token';
import './auth.css';

function AcceptForm({ token, invitation }: { token: string; invitation: StaffInvitationPreview }) {
  const { user, signOut } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const existing = invitation.accountExists;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!existing && !name.trim()) local.displayName = 'Enter your name.';
    if (!password) local.password = 'Enter a password.';
    else if (!existing && password.length < 10) local.password = 'Use at least 10 characters.';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await api.acceptStaffInvitation({ token, password, ...(existing ? {} : { displayName: name.trim() }) });
      // A session of this browser for the old role has ended with the change.
      if (user) await signOut();
      setDone(true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFormError(plainMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <div className="card">
        <div className="notice notice-ok" role="status">
          <p>
            <strong>Welcome to the team.</strong> You are now staff of {invitation.providerName}; sign in as{' '}
            {invitation.email} to open the dashboard.
          </p>
        </div>
        <p>
          <Link className="btn" to="/sign-in?next=/provider">
            Sign in
          </Link>
        </p>
      </div>
    );
  return (
    <form className="card auth-form" onSubmit={submit} noValidate aria-label="Accept the invitation">
      <p>
        {invitation.providerName} invites <strong>{invitation.email}</strong> to help manage their practice.{' '}
        {existing
          ? 'This address already has a Carebook account: enter its password to join with it.'
          : 'Create your staff account to join.'}
      </p>
      {!existing && (
        <Field label="Your name" error={errors.displayName}>
          <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
      )}
      <Field
        label={existing ? 'Password of your account' : 'Choose a password'}
        error={errors.password}
        {...(existing ? {} : { hint: 'At least 10 characters.' })}
      >
        <input
          type="password"
          autoComplete={existing ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {formError && (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="btn" disabled={busy} aria-busy={busy}>
        {busy ? 'Please wait…' : existing ? 'Join with my account' : 'Create account and join'}
      </button>
    </form>
  );
}

/** Opened from a staff invitation e-mail (`/accept-invitation#token=…`). */
export function AcceptInvitationPage() {
  const token = linkTokenFrom(useLocation().hash);
  const q = useQuery({
    queryKey: ['staff-invitation', token],
    queryFn: () => api.previewStaffInvitation(token as string),
    enabled: !!token,
    retry: false,
  });
  const invalid = !token || (q.error instanceof ApiError && q.error.code === 'ACCOUNT_LINK_INVALID');
  return (
    <div className="narrow">
      <h1>Join a practice on Carebook</h1>
      {invalid ? (
        <div className="card">
          <div className="notice notice-error" role="alert">
            <p>
              This invitation link is not valid any more: it has expired, was already used, or was withdrawn.
              Ask the practice to invite you again.
            </p>
          </div>
        </div>
      ) : q.isError ? (
        <p className="notice notice-error" role="alert">
          {plainMessage(q.error)}
        </p>
      ) : q.isPending ? (
        <Skeleton lines={3} label="Loading the invitation" />
      ) : (
        <AcceptForm token={token as string} invitation={q.data} />
      )}
    </div>
  );
}
