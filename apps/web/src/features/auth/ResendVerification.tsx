import { useState } from 'react';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';

/** "Send the link again" for the signed-in user, with its outcome announced. */
export function ResendVerification() {
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);
  const resend = async () => {
    setState('busy');
    setError(null);
    try {
      await api.resendVerification();
      setState('sent');
    } catch (err) {
      setError(plainMessage(err));
      setState('idle');
    }
  };
  return (
    <span className="resend-verification">
      {state === 'sent' ? (
        <span role="status">We have sent you a new link.</span>
      ) : (
        <button type="button" className="link-button" onClick={resend} disabled={state === 'busy'}>
          {state === 'busy' ? 'Sending…' : 'Send the link again'}
        </button>
      )}
      {error && (
        <span role="alert" className="resend-error">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
