import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testContext, testPayload } from '../../../test/support/notifications';
import { composeBookingNotifications } from './compose';
import { formatInstant, formatShort, formatWhen, isAmbiguousLocalTime, offsetMinutes } from './format';
import { escapeText, foldLine, icsUtc } from './ics';

/**
 * The date formatting and calendar text helpers keep formatters, offsets and fast paths for
 * speed; their output must stay what the plain versions below (as they were before, a formatter
 * built per call) give, byte for byte, for any instant, zone and text.
 */
const plain = {
  fmt: (timeZone: string, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, ...options }),
  dayOf: (d: Date, z: string) =>
    plain.fmt(z, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d),
  timeOf: (d: Date, z: string) =>
    plain.fmt(z, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d),
  abbr: (d: Date, z: string) =>
    plain
      .fmt(z, { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName')?.value ?? z,
  offsetMinutes(d: Date, z: string): number {
    const name =
      plain
        .fmt(z, { timeZoneName: 'longOffset' })
        .formatToParts(d)
        .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    if (!m) return 0;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  },
  offsetLabel(d: Date, z: string): string {
    const o = plain.offsetMinutes(d, z);
    const abs = Math.abs(o);
    return `UTC${o < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  },
  isAmbiguous(d: Date, z: string): boolean {
    const own = plain.offsetMinutes(d, z);
    const wall = `${plain.dayOf(d, z)} ${plain.timeOf(d, z)}`;
    for (const probe of [-1, 1]) {
      const other = plain.offsetMinutes(new Date(d.getTime() + probe * 6 * 3_600_000), z);
      if (other === own) continue;
      const twin = new Date(d.getTime() + (own - other) * 60_000);
      if (
        plain.offsetMinutes(twin, z) === other &&
        `${plain.dayOf(twin, z)} ${plain.timeOf(twin, z)}` === wall
      )
        return true;
    }
    return false;
  },
  when(start: Date, end: Date, z: string): string {
    const startDay = plain.dayOf(start, z);
    const endDay = plain.dayOf(end, z);
    const until = endDay === startDay ? plain.timeOf(end, z) : `${endDay}, ${plain.timeOf(end, z)}`;
    const startZone = plain.abbr(start, z);
    const endZone = plain.abbr(end, z);
    if (plain.offsetMinutes(start, z) !== plain.offsetMinutes(end, z)) {
      const label = (d: Date, abbr: string) =>
        abbr.startsWith('GMT') && abbr !== 'GMT' ? `(${abbr})` : `(${abbr}, ${plain.offsetLabel(d, z)})`;
      return `${startDay}, ${plain.timeOf(start, z)} ${label(start, startZone)}–${until} ${label(end, endZone)} ${z} time`;
    }
    return `${startDay}, ${plain.timeOf(start, z)}–${until} ${z} time (${startZone})`;
  },
  short(at: Date, z: string): string {
    const day = plain.fmt(z, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
    const offset = plain.isAmbiguous(at, z) ? ` (${plain.offsetLabel(at, z)})` : '';
    return `${day}, ${plain.timeOf(at, z)} ${z}${offset}`;
  },
  instant: (at: Date, z: string) =>
    `${plain.timeOf(at, z)} ${z} time (${plain.abbr(at, z)}), ${plain.dayOf(at, z)}`,
  escapeText: (v: string) =>
    v
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n'),
  foldLine(line: string): string {
    const out: string[] = [];
    let current = '';
    let octets = 0;
    for (const ch of line) {
      const cp = ch.codePointAt(0) as number;
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (octets + size > 75) {
        out.push(current);
        current = ' ';
        octets = 1;
      }
      current += ch;
      octets += size;
    }
    out.push(current);
    return out.join('\r\n');
  },
  icsUtc: (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, ''),
  escapeHtml: (s: string) =>
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
};

// Zones with DST both ways, half-hour and 45-minute offsets, a 30-minute DST shift, none at all.
const zones = [
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Tehran',
  'Africa/Casablanca',
  'UTC',
];
const zone = fc.constantFrom(...zones);
// 1950–2060 by the minute, and minutes around the 2026 transitions of the zones above.
const instant = fc.oneof(
  fc.integer({ min: -631_152_000, max: 2_871_763_200 }).map((s) => new Date(s * 1000 - (s % 60) * 1000)),
  fc
    .tuple(
      fc.constantFrom(
        '2026-03-29T01:00:00Z',
        '2026-10-25T01:00:00Z',
        '2026-03-08T07:00:00Z',
        '2026-04-05T15:00:00Z',
      ),
      fc.integer({ min: -180, max: 180 }),
    )
    .map(([at, m]) => new Date(Date.parse(at) + m * 60_000)),
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ minLength: 140, maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({
    unit: fc.constantFrom('a', ' ', ',', ';', '\\', '\n', '\r', 'ü', '€', '😀', '"', '\t', '\x01'),
    maxLength: 200,
  }),
);

describe('rendering matches the plain versions', () => {
  it('dates: formatWhen, formatShort, formatInstant, isAmbiguousLocalTime, offsetMinutes', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 0, max: 3 * 24 * 60 }), (z, start, minutes) => {
        const end = new Date(start.getTime() + minutes * 60_000);
        // Twice: the second call may come from what the first one kept.
        for (let i = 0; i < 2; i++) {
          expect(formatWhen(start, end, z)).toBe(plain.when(start, end, z));
          expect(formatShort(start, z)).toBe(plain.short(start, z));
          expect(formatInstant(end, z)).toBe(plain.instant(end, z));
          expect(isAmbiguousLocalTime(start, z)).toBe(plain.isAmbiguous(start, z));
          expect(offsetMinutes(end, z)).toBe(plain.offsetMinutes(end, z));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('calendar text: escapeText, foldLine, icsUtc', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(escapeText(s)).toBe(plain.escapeText(s));
        expect(foldLine(s)).toBe(plain.foldLine(s));
        expect(foldLine(`DESCRIPTION:${plain.escapeText(s)}`)).toBe(
          plain.foldLine(`DESCRIPTION:${plain.escapeText(s)}`),
        );
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), (ms) => {
        expect(icsUtc(new Date(ms))).toBe(plain.icsUtc(new Date(ms)));
      }),
      { numRuns: 1000 },
    );
  });

  it('e-mail bodies escape names and places as before', () => {
    fc.assert(
      fc.property(text, text, (name, place) => {
        const ctx = testContext({ location: place });
        ctx.patient.displayName = name;
        const [patient, provider] = composeBookingNotifications(testPayload(), ctx, new Date());
        expect(patient?.mail.html).toContain(`<p>Hello ${plain.escapeHtml(name)},</p>`);
        expect(provider?.mail.html).toContain(`<li><strong>Patient:</strong> ${plain.escapeHtml(name)}</li>`);
        expect(provider?.mail.html).toContain(`<li><strong>Where:</strong> ${plain.escapeHtml(place)}</li>`);
      }),
      { numRuns: 300 },
    );
  });

  it('refunds in each currency as a formatter built per call gives them', () => {
    for (const currency of ['EUR', 'GBP', 'USD', 'JPY', 'CHF', 'EUR']) {
      const [patient] = composeBookingNotifications(
        testPayload({ from: 'confirmed', to: 'cancelled' }),
        testContext({}, { priceCents: 123_456, currency }),
        new Date(),
      );
      const amount = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(1234.56);
      expect(patient?.mail.text).toContain(`A full refund of ${amount} goes back`);
    }
  });
});
