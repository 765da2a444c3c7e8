import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { useSession } from '../../app/session';
import { Field, FormSubmit } from '../../ui/Field';
import { linkTokenFrom } from './link-token';
import './auth.css';

type State = 'form' | 'done' | 'invalid';

/** Opened from the reset e-mail (`/reset-password#token=…`): choose a new password. */
export function ResetPasswordPage() {
  const token = linkTokenFrom(useLocation().hash);
  const { user, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [state, setState] = useState<State>(token ? 'form' : 'invalid');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (password.length < 10) local.newPassword = 'Use at least 10 characters.';
    else if (password !== repeat) local.repeat = 'The two passwords differ.';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length || !token) return;
    setBusy(true);
    try {
      await api.confirmPasswordReset(token, password);
      // Every session of the account has just ended, this browser's included.
      if (user) await signOut();
      setState('done');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ACCOUNT_LINK_INVALID') setState('invalid');
      else {
        setErrors(fieldErrors(err));
        setFormError(plainMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      {state === 'done' && (
        <div className="card">
          <div className="notice notice-ok" role="status">
            <p>
              <strong>Your password has been changed.</strong> Every device was signed out; sign in with your
              new password.
            </p>
          </div>
          <p>
            <Link className="btn" to="/sign-in">
              Sign in
            </Link>
          </p>
        </div>
      )}
      {state === 'invalid' && (
        <div className="card">
          <div className="notice notice-error" role="alert">
            <p>
              This link is not valid any more: it has expired or was already used. Reset links work once, for
              a short time.
            </p>
          </div>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </div>
      )}
      {state === 'form' && (
        <form className="card auth-form" onSubmit={submit} noValidate aria-label="Choose a new password">
          <Field label="New password" hint="At least 10 characters." error={errors.newPassword}>
            <input
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Field label="Repeat the new password" error={errors.repeat}>
            <input
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </Field>
          <FormSubmit formError={formError} busy={busy} label="Set new password" />
        </form>
      )}
    </div>
  );
}
