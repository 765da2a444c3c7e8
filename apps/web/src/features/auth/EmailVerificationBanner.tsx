import { useAppSelector } from '../../app/store';
import { ResendVerification } from './ResendVerification';
import './auth.css';

/** Shown to a signed-in account whose address is not confirmed yet: booking waits for it. */
export function EmailVerificationBanner() {
  const user = useAppSelector((s) => s.session.user);
  if (!user || user.emailVerified) return null;
  return (
    <section className="verify-banner" aria-label="Confirm your e-mail address">
      <p>
        <strong>Confirm your e-mail address</strong> ({user.email}) to book appointments
        {user.role === 'provider' ? ' and create listings' : ''}: open the link we sent you.{' '}
        <ResendVerification />
      </p>
    </section>
  );
}
