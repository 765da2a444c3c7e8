import type { EmailVerified } from '@carebook/contracts';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, plainMessage } from '../../api/problem';
import { signedIn } from '../../app/session-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { linkTokenFrom } from './link-token';
import { ResendVerification } from './ResendVerification';

// One request per token, however often the page mounts (a link works once).
const confirmations = new Map<string, Promise<EmailVerified>>();
const confirm = (token: string) => {
  let pending = confirmations.get(token);
  if (!pending) {
    pending = api.verifyEmail(token);
    confirmations.set(token, pending);
  }
  return pending;
};

type State =
  | { kind: 'working' }
  | { kind: 'done'; email: string }
  | { kind: 'invalid' }
  | { kind: 'error'; message: string };

/** Opened from the verification e-mail (`/verify-email#token=…`): confirms the address. */
export function VerifyEmailPage() {
  const token = linkTokenFrom(useLocation().hash);
  const user = useAppSelector((s) => s.session.user);
  const dispatch = useAppDispatch();
  const [state, setState] = useState<State>(token ? { kind: 'working' } : { kind: 'invalid' });

  useEffect(() => {
    if (!token) return;
    let live = true;
    confirm(token).then(
      (done) => live && setState({ kind: 'done', email: done.email }),
      (err) =>
        live &&
        setState(
          err instanceof ApiError && err.code === 'ACCOUNT_LINK_INVALID'
            ? { kind: 'invalid' }
            : { kind: 'error', message: plainMessage(err) },
        ),
    );
    return () => {
      live = false;
    };
  }, [token]);

  // A signed-in tab learns at once that booking is open now.
  useEffect(() => {
    if (state.kind === 'done' && user && !user.emailVerified)
      api.me().then(
        (fresh) => dispatch(signedIn(fresh)),
        () => undefined,
      );
  }, [state.kind, user, dispatch]);

  return (
    <div className="narrow">
      <h1>Confirm your e-mail address</h1>
      <div className="card">
        {state.kind === 'working' && <p role="status">Confirming your address…</p>}
        {state.kind === 'done' && (
          <>
            <div className="notice notice-ok" role="status">
              <p>
                <strong>Thank you: {state.email} is confirmed.</strong> You can book appointments now.
              </p>
            </div>
            <p>{user ? <Link to="/search">Find care</Link> : <Link to="/sign-in">Sign in</Link>}</p>
          </>
        )}
        {state.kind === 'invalid' && (
          <>
            <div className="notice notice-error" role="alert">
              <p>This link is not valid any more: it has expired or was already used.</p>
            </div>
            {user ? (
              user.emailVerified ? (
                <p>Your address is already confirmed.</p>
              ) : (
                <ResendVerification />
              )
            ) : (
              <p>
                <Link to="/sign-in">Sign in</Link> to ask for a new link.
              </p>
            )}
          </>
        )}
        {state.kind === 'error' && (
          <p className="notice notice-error" role="alert">
            {state.message}
          </p>
        )}
      </div>
    </div>
  );
}
