import { type RefObject, useEffect, useId, useRef, useState } from 'react';

/**
 * The button that opens a reason form gets focus back when the form closes (cancelled or done):
 * the form, where focus was, is gone. Put the returned ref on that button.
 */
export function useFocusBackWhenClosed(open: boolean): RefObject<HTMLButtonElement | null> {
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return button;
}

/**
 * The reason an admin gives for suspending or reinstating (told to the person and kept in the
 * audit log). Focus starts in the field; the rule for the reason is said next to it.
 */
export function ReasonForm({
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  /** The button's text ("Suspend"). */
  confirmLabel: string;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const ready = reason.trim().length >= 3;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onConfirm(reason.trim());
      }}
    >
      <label htmlFor={`${id}-reason`}>Reason</label>
      <input
        ref={input}
        id={`${id}-reason`}
        value={reason}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setReason(e.target.value)}
      />
      <span id={`${id}-hint`} className="muted small">
        At least 3 characters.
      </span>
      <button type="submit" className="btn btn-danger btn-small" disabled={!ready || busy}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-secondary btn-small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
