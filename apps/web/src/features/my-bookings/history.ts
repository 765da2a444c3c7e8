import type { Booking, BookingHistoryEntry } from '@carebook/contracts';
import { zonedDateTime } from '../../ui/format';

export interface Viewer {
  id: string;
  role: string;
}

/** Who did it, in words: "You", the practice's name, "Carebook support"; null for the system. */
function actorName(h: BookingHistoryEntry, b: Booking, viewer: Viewer): string | null {
  if (h.actorId && h.actorId === viewer.id) return 'You';
  switch (h.actorRole) {
    case 'patient':
      return 'The patient';
    case 'provider':
    case 'staff':
      return b.providerName;
    case 'admin':
      return 'Carebook support';
    default:
      return null;
  }
}

function what(h: BookingHistoryEntry, b: Booking, viewer: Viewer, last: boolean): string {
  const who = actorName(h, b, viewer);
  const appt = viewer.role === 'patient' ? 'your appointment' : 'the appointment';
  const Appt = viewer.role === 'patient' ? 'Your appointment' : 'The appointment';
  switch (h.to) {
    case 'pending':
      return `${who ?? 'You'} asked for this time`;
    case 'payment_pending':
      return 'The time was held while waiting for payment';
    case 'confirmed':
      if (h.from === null && b.rescheduledFrom) return `${Appt} moved to this time`;
      if (h.from === 'payment_pending') return `The payment went through and ${appt} was confirmed`;
      return who ? `${who} confirmed ${appt}` : `${Appt} was confirmed`;
    case 'in_progress':
      return `${Appt} started`;
    case 'completed':
      return who ? `${who} marked ${appt} as completed` : `${Appt} was completed`;
    case 'cancelled':
      if (last && b.rescheduledTo) return `${who ?? 'Carebook'} moved ${appt} to a new time`;
      return who ? `${who} cancelled ${appt}` : `${Appt} was cancelled`;
    case 'expired':
      return 'The hold ran out before payment, and the time was released';
    case 'no_show':
      return who ? `${who} marked ${appt} as missed` : `${Appt} was marked as missed`;
    default:
      return `${Appt} changed`;
  }
}

/**
 * One line of a booking's history as a sentence with names and a zone-labelled time, never a raw
 * id or status name: "Harbour Clinic confirmed your appointment on Tue, Dec 9, 10:30 AM
 * (Europe/Berlin, GMT+1)". The reason, when one was given, follows in quotes.
 */
export function historySentence(
  h: BookingHistoryEntry,
  b: Booking,
  viewer: Viewer,
  last: boolean,
  viewerZone?: string,
): string {
  // The move's own notes ("Rescheduled from <id>") are told by the sentence and the links instead.
  const moveNote = (last && b.rescheduledTo) || (h.from === null && b.rescheduledFrom);
  const reason = h.reason && !moveNote ? `: “${h.reason}”` : '';
  return `${what(h, b, viewer, last)} on ${zonedDateTime(h.at, b.timeZone, viewerZone)}${reason}.`;
}
