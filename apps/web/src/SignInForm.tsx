import type { User } from '@carebook/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from './api';

export function SignInForm({
  titleId,
  onSignedIn,
}: {
  titleId: string;
  onSignedIn: (accessToken: string, user: User) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email, password);
      onSignedIn(result.tokens.accessToken, result.user);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      aria-labelledby={titleId}
      aria-describedby={error ? errorId : undefined}
      noValidate
    >
      <h2 id={titleId}>Sign in</h2>
      <label htmlFor="email">E-mail</label>
      <input
        id="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error && (
        <p id={errorId} className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !email || !password} aria-busy={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
