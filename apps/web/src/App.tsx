import type { User } from '@carebook/contracts';
import { useEffect, useState } from 'react';
import { ApiError, api } from './api';
import { SignInForm } from './SignInForm';

const TOKEN_KEY = 'carebook.accessToken';

/**
 * The first page of the web app: sign in and see who you are. The full patient, provider and
 * admin experience arrives with the web-app issue; this page already talks to the real API.
 */
export function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(Boolean(token));
  const [ready, setReady] = useState<boolean | null>(null);

  useEffect(() => {
    api.health().then(
      (h) => setReady(h.status === 'ready'),
      () => setReady(false),
    );
  }, []);

  useEffect(() => {
    if (!token) return;
    setChecking(true);
    api
      .me(token)
      .then(setUser, (err: unknown) => {
        if (err instanceof ApiError && err.problem.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          setToken(null);
        }
      })
      .finally(() => setChecking(false));
  }, [token]);

  const signedIn = (accessToken: string, u: User) => {
    sessionStorage.setItem(TOKEN_KEY, accessToken);
    setToken(accessToken);
    setUser(u);
  };

  const signOut = async () => {
    if (token) await api.logout(token).catch(() => undefined);
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setUser(null);
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Carebook</span>
        </div>
        <nav aria-label="Developer links">
          <a href="/api/docs">API docs</a>
        </nav>
      </header>
      <main id="main" className="page">
        <section className="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">Book care near you</h1>
          <p>
            Find practitioners and clinics by specialty, language and insurance, pick a time that suits you,
            and follow your booking live.
          </p>
          <p className="status" role="status">
            {ready === null
              ? 'Checking the service…'
              : ready
                ? 'All systems running.'
                : 'The service is starting or unavailable.'}
          </p>
        </section>
        <section className="card" aria-labelledby="account-title">
          {checking ? (
            <p aria-busy="true">Loading your account…</p>
          ) : user ? (
            <div>
              <h2 id="account-title">Welcome, {user.displayName}</h2>
              <dl className="facts">
                <dt>E-mail</dt>
                <dd>{user.email}</dd>
                <dt>Role</dt>
                <dd>{user.role}</dd>
                {user.role === 'provider' && (
                  <>
                    <dt>Verification</dt>
                    <dd>{user.verified ? 'Verified' : 'Awaiting verification by an administrator'}</dd>
                  </>
                )}
              </dl>
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </div>
          ) : (
            <SignInForm titleId="account-title" onSignedIn={signedIn} />
          )}
        </section>
      </main>
      <footer className="site-footer">Carebook is open source. Your data stays with your clinic.</footer>
    </>
  );
}
