import type { PracticeBooking } from '@carebook/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';

/** Mark completed / No-show, when the API says the reader may (after the start). */
export function BookingActions({ b }: { b: PracticeBooking }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: 'complete' | 'no-show') => api.bookingAction(b.id, action),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.bookings }),
  });
  const may = (a: 'complete' | 'no_show') => b.allowedActions.includes(a);
  if (!may('complete') && !may('no_show')) return null;
  return (
    <>
      {may('complete') && (
        <button
          type="button"
          className="btn btn-small"
          disabled={act.isPending}
          onClick={() => act.mutate('complete')}
        >
          Mark completed
        </button>
      )}
      {may('no_show') && (
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={act.isPending}
          onClick={() => act.mutate('no-show')}
        >
          No-show
        </button>
      )}
      {act.isError && (
        <p className="notice notice-error" role="alert">
          {plainMessage(act.error)}
        </p>
      )}
    </>
  );
}

/** How to reach the patient: phone (tel:) when they gave one, and e-mail (mailto:). */
export function PatientContact({ b }: { b: PracticeBooking }) {
  const { phone, email, name } = b.patient;
  return (
    <span className="patient-contact">
      {phone && (
        <a href={`tel:${phone.replace(/[^+0-9]/g, '')}`} aria-label={`Call ${name}: ${phone}`}>
          {phone}
        </a>
      )}
      {email && (
        <a href={`mailto:${email}`} aria-label={`E-mail ${name}: ${email}`}>
          {email}
        </a>
      )}
      {!phone && !email && <span className="muted">No contact details</span>}
    </span>
  );
}
