import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { erasing, signOutReason } from '../../api/sign-out-reason';
import { useAppSelector } from '../../app/store';
import { AuthPanel } from './AuthPanel';

export function homeFor(role: string | undefined): string {
  if (role === 'provider' || role === 'staff') return '/provider';
  if (role === 'admin') return '/admin';
  return '/bookings';
}

export function SignInPage({ mode = 'sign-in' }: { mode?: 'sign-in' | 'register' }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const user = useAppSelector((s) => s.session.user);
  const next = params.get('next');
  // Why the last session ended, when the server said so (e.g. a suspension); shown once.
  const [reason] = useState(() => signOutReason.take());
  const erased = params.get('erased') === '1';
  useEffect(() => {
    if (erased) erasing.stop();
  }, [erased]);
  useEffect(() => {
    if (user) navigate(next?.startsWith('/') ? next : homeFor(user.role), { replace: true });
  }, [user, next, navigate]);
  return (
    <div className="narrow">
      <h1>{mode === 'sign-in' ? 'Welcome back' : 'Join Carebook'}</h1>
      {erased && (
        <p className="notice notice-ok" role="status">
          Your account has been deleted and you are signed out. Upcoming bookings were cancelled and refunded.
        </p>
      )}
      <p className="lead">Book and manage appointments with practitioners and clinics near you.</p>
      {reason && (
        <div className="notice notice-error" role="alert">
          <p>You have been signed out. {reason}</p>
        </div>
      )}
      <div className="card">
        <AuthPanel initialMode={mode} allowProvider />
      </div>
      <p className="muted">
        Just looking? <Link to="/search">Search without an account</Link>.
      </p>
    </div>
  );
}
