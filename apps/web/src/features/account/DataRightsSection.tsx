import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { erasing } from '../../api/sign-out-reason';
import { useSession } from '../../app/session';
import { Field } from '../../ui/Field';
import './data-rights.css';

/** Saves a Blob under a file name (the browser's download). */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Your data" on the Account page: download everything (GDPR Art. 15/20) and delete the account (Art. 17). */
export function DataRightsSection() {
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [open, setOpen] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const download = async (what: 'json' | 'ics') => {
    setStatus(null);
    try {
      const today = new Date().toISOString().slice(0, 10);
      if (what === 'json') save(await api.exportData(), `carebook-export-${today}.json`);
      else save(await api.exportCalendar(), 'carebook-bookings.ics');
      setStatus({
        ok: true,
        text: what === 'json' ? 'Your data file is downloading.' : 'Your calendar file is downloading.',
      });
    } catch (err) {
      setStatus({ ok: false, text: plainMessage(err) });
    }
  };
  return (
    <section className="card" aria-labelledby="data-rights-title">
      <h2 id="data-rights-title">Your data</h2>
      <p>
        Download a copy of everything Carebook holds about you: your account, sign-ins, bookings with their
        history, payments, notifications, reviews, waitlists, recurring series, reminder settings and who
        looked at your records.
      </p>
      <div className="data-rights-actions">
        <button type="button" className="btn btn-secondary" onClick={() => void download('json')}>
          Download my data (JSON)
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void download('ics')}>
          Download my bookings (.ics)
        </button>
      </div>
      {status && (
        <p
          className={`notice${status.ok ? ' notice-ok' : ' notice-error'}`}
          role={status.ok ? 'status' : 'alert'}
        >
          {status.text}
        </p>
      )}
      <h3>Delete your account</h3>
      <p>Deleting your account cannot be undone.</p>
      <button ref={deleteButton} type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Delete my account
      </button>
      {open && (
        <DeleteAccountDialog
          onClose={() => {
            setOpen(false);
            deleteButton.current?.focus();
          }}
        />
      )}
    </section>
  );
}

/** The confirmation: says exactly what happens, asks for the password, keeps focus inside. */
function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const descId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const password = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<{ text: string; items: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const { signOutLocally } = useErasedSignOut();

  useEffect(() => {
    password.current?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('input, button:not([disabled])')];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!value) {
      setError('Enter your password to confirm.');
      password.current?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    erasing.start();
    try {
      await api.deleteAccount(value);
      signOutLocally();
    } catch (err) {
      erasing.stop();
      setBusy(false);
      const fields = fieldErrors(err);
      if (fields.password) {
        setError('The password is not correct.');
        password.current?.focus();
        return;
      }
      const items =
        err instanceof ApiError && err.code === 'ERASURE_BLOCKED'
          ? (err.problem.errors ?? []).map((x) => x.message)
          : [];
      setProblem({ text: plainMessage(err), items });
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={dialog}
        className="dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>Delete your account?</h2>
        <div id={descId}>
          <p>This is what happens, at once and for good:</p>
          <ul>
            <li>
              Your upcoming bookings are cancelled. What you paid for them is refunded in full to your card.
            </li>
            <li>
              Your name, e-mail address, phone number, reasons for visit, notifications, reminder and SMS
              settings, calendar link and the text of your reviews are deleted or made unreadable. You are
              signed out everywhere.
            </li>
            <li>
              The practices you visited keep the record they must keep — date and time, service, price and
              status of each booking — under “Former patient”, without your name or contact details. Your star
              ratings stay, without your name.
            </li>
          </ul>
          <p>
            Download your data first if you want a copy. You can register again with the same e-mail address.
          </p>
        </div>
        <form onSubmit={submit} noValidate>
          <Field label="Your password" error={error}>
            <input
              ref={password}
              type="password"
              autoComplete="current-password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </Field>
          {problem && (
            <div className="notice notice-error" role="alert">
              <p>{problem.text}</p>
              {problem.items.length > 0 && (
                <ul>
                  {problem.items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="data-rights-actions">
            <button type="submit" className="btn btn-danger" disabled={busy}>
              {busy ? 'Deleting…' : 'Delete my account permanently'}
            </button>
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              Keep my account
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** After erasure the tokens are dead already: forget them here and say what happened on the sign-in page. */
function useErasedSignOut() {
  const { signOutLocally } = useSession();
  const navigate = useNavigate();
  return {
    signOutLocally: () => {
      navigate('/sign-in?erased=1', { replace: true });
      signOutLocally();
    },
  };
}
