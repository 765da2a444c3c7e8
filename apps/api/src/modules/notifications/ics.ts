/**
 * RFC 5545 calendar objects for booking invitations and cancellations. Times are UTC (`…Z`), so
 * no VTIMEZONE is needed and every calendar shows them in its user's zone; the e-mail body states
 * the provider's local time and zone.
 */
export interface IcsPerson {
  name: string;
  email: string;
}

export interface BookingIcsInput {
  uid: string;
  /** Grows with every change of the event (the booking version). */
  sequence: number;
  /** REQUEST/CANCEL for invitations by e-mail; PUBLISH for a file the user downloads. */
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  status: 'CONFIRMED' | 'CANCELLED';
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  /** A link back to the booking in the web app. */
  url: string;
  organizer: IcsPerson;
  attendee: IcsPerson;
  /** DTSTAMP: when this object was created. */
  now: Date;
}

const CRLF = '\r\n';

/** TEXT value escaping (RFC 5545 §3.3.11). */
const textSpecial = /[\\;,\r\n]/;
export function escapeText(value: string): string {
  // Most values have nothing to escape: one test instead of four replacements.
  if (!textSpecial.test(value)) return value;
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A quoted parameter value: DQUOTE and control characters cannot appear in one (§3.1). */
const paramValue = (value: string) => `"${value.replace(/["\p{Cc}]/gu, ' ').trim()}"`;

/** UTC date-time form, e.g. 20261124T200000Z. */
export const icsUtc = (d: Date) => {
  const iso = d.toISOString();
  // YYYY-MM-DDTHH:MM:SS.sssZ, cut instead of three regular expressions; other years as before.
  if (iso.length === 24)
    return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
};

/** Anything but printable ASCII, tab, CR and LF (one UTF-8 octet each): the slow path folds it. */
const nonAscii = /[^ -~\t\r\n]/;

/** Octets of one code point in UTF-8. */
const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * Folds a content line so no physical line exceeds 75 octets (§3.1); continuation lines start
 * with one space. Splits only between code points, never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  // A UTF-16 code unit is at most 3 octets of UTF-8 (a surrogate pair, two units, is 4).
  if (line.length * 3 <= 75) return line;
  // Printable ASCII only (the usual case): one octet per character, so cut every 75, then every
  // 74 after the leading space.
  if (!nonAscii.test(line)) {
    if (line.length <= 75) return line;
    const parts = [line.slice(0, 75)];
    for (let i = 75; i < line.length; i += 74) parts.push(` ${line.slice(i, i + 74)}`);
    return parts.join(CRLF);
  }
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) as number);
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

const mailto = (email: string) => `mailto:${email.replace(/[\s"<>]/g, '')}`;

export function bookingIcs(input: BookingIcsInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Carebook//Booking notifications//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    'BEGIN:VEVENT',
    `UID:${input.uid}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${icsUtc(input.now)}`,
    `DTSTART:${icsUtc(input.start)}`,
    `DTEND:${icsUtc(input.end)}`,
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    `LOCATION:${escapeText(input.location)}`,
    `URL:${input.url.replace(/[\s"<>]/g, '')}`,
    `STATUS:${input.status}`,
    'TRANSP:OPAQUE',
    `ORGANIZER;CN=${paramValue(input.organizer.name)}:${mailto(input.organizer.email)}`,
    `ATTENDEE;CN=${paramValue(input.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:${mailto(input.attendee.email)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
