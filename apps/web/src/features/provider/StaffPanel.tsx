import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { useAppSelector } from '../../app/store';
import { Field } from '../../ui/Field';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';

const staffKey = ['provider', 'staff'] as const;

/** The provider's staff: invite by e-mail, see who has joined, revoke and remove. */
export function StaffPanel() {
  const role = useAppSelector((s) => s.session.user?.role);
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: staffKey, queryFn: api.staff, enabled: role === 'provider' });
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  // The button is disabled while sending, which drops focus: it comes back to the address field,
  // ready for the next invitation (the outcome is announced next to it).
  const emailInput = useRef<HTMLInputElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: staffKey });
  const invite = useMutation({
    mutationFn: api.inviteStaff,
    onSuccess: (inv) => {
      setSentTo(inv.email);
      setEmail('');
      refresh();
      emailInput.current?.focus();
    },
    onError: (err) => {
      setError(fieldErrors(err).email ?? plainMessage(err));
      emailInput.current?.focus();
    },
  });
  const revoke = useMutation({ mutationFn: api.revokeStaffInvitation, onSuccess: refresh });
  const remove = useMutation({ mutationFn: api.removeStaff, onSuccess: refresh });
  if (role !== 'provider') return null;
  const tz = localZone();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSentTo(null);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setError('Enter an e-mail address like name@example.com.');
      emailInput.current?.focus();
      return;
    }
    setError(undefined);
    invite.mutate(email);
  };

  return (
    <section className="card" aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <p className="muted small">
        Staff manage your listings, schedule and bookings on your behalf. They cannot invite others.
      </p>
      {q.isPending ? (
        <Skeleton lines={2} label="Loading staff" />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <>
          {q.data.staff.length === 0 ? (
            <p>No staff yet.</p>
          ) : (
            <ul className="plain-list" aria-label="Staff members">
              {q.data.staff.map((s) => (
                <li key={s.id} className="session-row">
                  <span>
                    <strong>{s.displayName}</strong> <span className="muted small">{s.email}</span>
                  </span>
                  <button
                    type="button"
                    className="btn btn-small btn-secondary"
                    onClick={() => remove.mutate(s.id)}
                    disabled={remove.isPending}
                  >
                    Remove {s.displayName}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {q.data.invitations.length > 0 && (
            <ul className="plain-list" aria-label="Open invitations">
              {q.data.invitations.map((inv) => (
                <li key={inv.id} className="session-row">
                  <span>
                    {inv.email}{' '}
                    <span className="muted small">
                      {inv.status === 'expired'
                        ? 'expired'
                        : `invited, valid until ${dateTime(inv.expiresAt, tz)}`}
                    </span>
                  </span>
                  <button
                    type="button"
                    className="btn btn-small btn-secondary"
                    onClick={() => revoke.mutate(inv.id)}
                    disabled={revoke.isPending}
                  >
                    Revoke invitation for {inv.email}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {(revoke.isError || remove.isError) && (
        <p className="notice notice-error" role="alert">
          {plainMessage(revoke.error ?? remove.error)}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-label="Invite a staff member">
        <Field label="Invite by e-mail" error={error}>
          <input
            ref={emailInput}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn" disabled={invite.isPending} aria-busy={invite.isPending}>
          {invite.isPending ? 'Sending…' : 'Send invitation'}
        </button>
        {sentTo && (
          <p className="notice notice-ok" role="status">
            Invitation sent to {sentTo}. The link works once, for 7 days.
          </p>
        )}
      </form>
    </section>
  );
}
