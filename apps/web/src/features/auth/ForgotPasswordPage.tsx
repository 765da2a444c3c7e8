import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { Field, FormSubmit } from '../../ui/Field';
import './auth.css';

/** Asks for a reset link. The page says the same thing for every address (so does the API). */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setError('Enter an e-mail address like name@example.com.');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      setSent((await api.requestPasswordReset(email)).message);
    } catch (err) {
      setError(fieldErrors(err).email);
      setFormError(plainMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>Reset your password</h1>
      {sent ? (
        <div className="card">
          <div className="notice notice-ok" role="status">
            <p>
              <strong>Check your e-mail.</strong> {sent} The link works once and expires soon.
            </p>
          </div>
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </div>
      ) : (
        <form className="card auth-form" onSubmit={submit} noValidate aria-label="Reset your password">
          <p>
            Enter the e-mail address of your account and we will send you a link to choose a new password.
          </p>
          <Field label="E-mail" error={error}>
            <input
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <FormSubmit formError={formError} busy={busy} label="Send reset link" />
        </form>
      )}
      <p className="muted">
        Remembered it? <Link to="/sign-in">Sign in</Link>.
      </p>
    </div>
  );
}
