import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { EmailVerificationBanner } from '../features/auth/EmailVerificationBanner';
import { Skeleton } from '../ui/feedback';
import { useLiveUpdates } from './realtime';
import { useSession, useSessionBootstrap } from './session';
import { UnreadBadge } from './UnreadBadge';
import './layout.css';

export function Layout() {
  useSessionBootstrap();
  const { user, status, signOut, refreshUser } = useSession();
  const live = useLiveUpdates(status === 'signedIn', refreshUser);
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);

  // Move focus to the page on navigation, so keyboard and screen-reader users start at the top.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path change only
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
    window.scrollTo(0, 0);
  }, [location.pathname]);

  const role = user?.role;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand" aria-label="Carebook home">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>Carebook</span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/search">Find care</NavLink>
            {role === 'patient' && <NavLink to="/bookings">My bookings</NavLink>}
            {(role === 'provider' || role === 'staff') && <NavLink to="/provider">Dashboard</NavLink>}
            {role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
            {user && (
              <NavLink to="/notifications" className="nav-notifications">
                Notifications <UnreadBadge />
              </NavLink>
            )}
            {user ? (
              <>
                <NavLink to="/account">Account</NavLink>
                <button type="button" className="link-button" onClick={signOut}>
                  Sign out
                </button>
              </>
            ) : status === 'signedOut' ? (
              <NavLink to="/sign-in" className="btn btn-small">
                Sign in
              </NavLink>
            ) : null}
          </nav>
        </div>
        {user && (
          <p className={`live-indicator live-${live}`} role="status" aria-live="polite">
            <span className="dot" aria-hidden="true" />
            {live === 'live'
              ? 'Live updates on'
              : live === 'off'
                ? 'Live updates off'
                : 'Connecting live updates…'}
          </p>
        )}
      </header>
      <EmailVerificationBanner />
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        <Suspense fallback={<Skeleton lines={6} label="Loading page" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>Carebook — open-source booking for clinics and practitioners.</p>
        <p>
          <a href="/api/docs">API</a>
        </p>
      </footer>
    </>
  );
}
