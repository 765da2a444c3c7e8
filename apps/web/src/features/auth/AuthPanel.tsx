import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { useSession } from '../../app/session';
import { Field } from '../../ui/Field';
import './auth.css';

type Mode = 'sign-in' | 'register';

function validate(mode: Mode, email: string, password: string, name: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.email = 'Enter an e-mail address like name@example.com.';
  if (!password) errors.password = 'Enter your password.';
  else if (mode === 'register' && password.length < 10) errors.password = 'Use at least 10 characters.';
  if (mode === 'register' && !name.trim()) errors.displayName = 'Enter your name.';
  return errors;
}

/** Sign in or create a patient account in place (the booking flow uses it inline). */
export function AuthPanel({
  initialMode = 'sign-in',
  onDone,
  allowProvider = false,
}: {
  initialMode?: Mode;
  onDone?: () => void;
  allowProvider?: boolean;
}) {
  const { accept } = useSession();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [asProvider, setAsProvider] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** After a sign-up: the same words whether or not the address was new (the API answers alike). */
  const [sentTo, setSentTo] = useState<string | null>(null);
  /**
   * The right password for an address not confirmed yet: the API's words (it has just sent the
   * link again, or says when it can), with "Send the link again" (signing in again asks for it).
   */
  const [unconfirmed, setUnconfirmed] = useState<string | null>(null);

  const signIn = async () => {
    try {
      accept(await api.login(email, password));
      setUnconfirmed(null);
      onDone?.();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'EMAIL_NOT_CONFIRMED') {
        setSentTo(null);
        setUnconfirmed(plainMessage(err));
        return;
      }
      setUnconfirmed(null);
      throw err;
    }
  };

  const resend = async () => {
    setBusy(true);
    setFormError(null);
    try {
      await signIn();
    } catch (err) {
      setFormError(plainMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = validate(mode, email, password, name);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (mode === 'register') {
        await api.register({
          email,
          password,
          displayName: name.trim(),
          role: asProvider ? 'provider' : 'patient',
        });
        setSentTo(email);
        setMode('sign-in');
        return;
      }
      await signIn();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFormError(plainMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'sign-in' ? 'Sign in' : 'Create your account';
  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-label={title}>
      {sentTo && (
        <div className="notice notice-ok" role="status">
          <p>
            <strong>Check your e-mail.</strong> We have sent a message to {sentTo} to finish signing up. Open
            the link in it to confirm your address (you can leave this page open), then sign in here.
          </p>
        </div>
      )}
      {unconfirmed && mode === 'sign-in' && (
        <section className="notice notice-warn" aria-label="Confirm your e-mail address">
          <p role="status">{unconfirmed}</p>
          <button type="button" className="btn btn-small" disabled={busy} onClick={resend}>
            Send the link again
          </button>
        </section>
      )}
      <fieldset className="tabs">
        <legend className="visually-hidden">Account</legend>
        <button type="button" aria-pressed={mode === 'sign-in'} onClick={() => setMode('sign-in')}>
          I have an account
        </button>
        <button type="button" aria-pressed={mode === 'register'} onClick={() => setMode('register')}>
          I'm new here
        </button>
      </fieldset>
      {mode === 'register' && (
        <Field label="Your name" error={errors.displayName}>
          <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
      )}
      <Field label="E-mail" error={errors.email}>
        <input
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field
        label="Password"
        error={errors.password}
        {...(mode === 'register' ? { hint: 'At least 10 characters.' } : {})}
      >
        <input
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {mode === 'register' && allowProvider && (
        <label className="check">
          <input type="checkbox" checked={asProvider} onChange={(e) => setAsProvider(e.target.checked)} />I
          offer care (provider account, verified by our team)
        </label>
      )}
      {mode === 'sign-in' && (
        <p className="auth-forgot">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      )}
      {formError && (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="btn" disabled={busy} aria-busy={busy}>
        {busy ? 'Please wait…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </button>
    </form>
  );
}
