import { useEffect, useRef, useState } from 'react';

/**
 * After a submit with errors, focus goes to the first field in error once it is rendered (the
 * error is read with it). Put `ref` on the form and call `focusFirstError()` where errors are set.
 */
export function useFocusFirstError<T extends HTMLElement = HTMLFormElement>() {
  const ref = useRef<T>(null);
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    if (attempts === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);
  return { ref, focusFirstError: () => setAttempts((n) => n + 1) };
}
