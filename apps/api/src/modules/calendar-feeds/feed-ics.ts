import { createHash } from 'node:crypto';
import type { Booking } from '@carebook/contracts';
import { escapeText, foldLine, icsUtc } from '../notifications/ics';

const CRLF = '\r\n';

/** How a booking shows in a calendar; expired holds never held anyone's time and are left out. */
export function eventStatus(b: Pick<Booking, 'status'>): 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED' | null {
  switch (b.status) {
    case 'pending':
    case 'payment_pending':
      return 'TENTATIVE';
    case 'cancelled':
      return 'CANCELLED';
    case 'expired':
      return null;
    default:
      return 'CONFIRMED';
  }
}

export interface FeedOptions {
  /** Whose calendar: the patient sees provider names, the practice sees patients' visits. */
  audience: 'patient' | 'practice';
  name: string;
  now: Date;
  bookingUrl: (id: string) => string;
}

/**
 * An RFC 5545 VCALENDAR of bookings, one VEVENT each. UIDs are the ones the e-mailed invitations
 * use (`<booking id>@carebook`), so a calendar that has both treats them as one event; SEQUENCE
 * is the booking version, so every change supersedes the last.
 */
export function feedCalendar(bookings: Booking[], o: FeedOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Carebook//Calendar feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(o.name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT15M',
    'X-PUBLISHED-TTL:PT15M',
  ];
  for (const b of bookings) {
    const status = eventStatus(b);
    if (!status) continue;
    const summary =
      o.audience === 'patient'
        ? `${b.serviceName} – ${b.providerName}`
        : `${b.serviceName} (${b.providerName})`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${b.id}@carebook`,
      `SEQUENCE:${b.version}`,
      `DTSTAMP:${icsUtc(o.now)}`,
      `LAST-MODIFIED:${icsUtc(new Date(b.updatedAt))}`,
      `DTSTART:${icsUtc(new Date(b.start))}`,
      `DTEND:${icsUtc(new Date(b.end))}`,
      `SUMMARY:${escapeText(status === 'CANCELLED' ? `Cancelled: ${summary}` : summary)}`,
      `DESCRIPTION:${escapeText(`${b.serviceName} with ${b.providerName} (${b.timeZone}).\n${o.bookingUrl(b.id)}`)}`,
      `URL:${o.bookingUrl(b.id)}`,
      `STATUS:${status}`,
      `TRANSP:${status === 'CANCELLED' ? 'TRANSPARENT' : 'OPAQUE'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/**
 * A strong validator of a feed's content: what the events say (not DTSTAMP, which is the time of
 * rendering), so a calendar polling an unchanged feed gets `304 Not Modified`.
 */
export function feedEtag(name: string, bookings: Booking[]): string {
  const hash = createHash('sha256').update(name);
  for (const b of bookings)
    hash.update(`\n${b.id}|${b.version}|${b.status}|${b.start}|${b.end}|${b.serviceName}|${b.providerName}`);
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}
