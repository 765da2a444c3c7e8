import { cloneElement, type ReactElement, useId } from 'react';

/** A labelled control with hint and inline error, wired up with aria-describedby/invalid. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {cloneElement(children, {
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
      })}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The end of a form: the problem of the last attempt as a whole (an alert, when there is one)
 * and the submit button, busy while the attempt is under way.
 */
export function FormSubmit({
  formError,
  busy,
  label,
}: {
  formError: string | null;
  busy: boolean;
  label: string;
}) {
  return (
    <>
      {formError && (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="btn" disabled={busy} aria-busy={busy}>
        {busy ? 'Please wait…' : label}
      </button>
    </>
  );
}
