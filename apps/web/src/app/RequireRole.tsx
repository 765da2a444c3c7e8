import type { Role } from '@carebook/contracts';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { erasing } from '../api/sign-out-reason';
import { Skeleton } from '../ui/feedback';
import { useAppSelector } from './store';

/** Gate for signed-in pages: waits for the session, then sends strangers to sign in. */
export function RequireRole({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { status, user } = useAppSelector((s) => s.session);
  const location = useLocation();
  if (status === 'unknown') return <Skeleton lines={4} label="Checking your session" />;
  if (!user)
    return (
      <Navigate
        to={
          // The session ended because the person just deleted their account.
          erasing.active()
            ? '/sign-in?erased=1'
            : `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`
        }
        replace
      />
    );
  if (roles && !roles.includes(user.role)) {
    return (
      <div className="notice notice-error" role="alert">
        <p>This page is not available for your account.</p>
      </div>
    );
  }
  return <>{children}</>;
}
