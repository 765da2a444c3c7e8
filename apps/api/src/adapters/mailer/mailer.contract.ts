import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, MailMessage } from '../../ports/mailer';

/** A message as the receiving side saw it. */
export interface ReceivedMail {
  /** What identifies a retry: the Message-ID on the wire, the idempotency key in the dev mailbox. */
  identity: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface MailerHarness {
  mailer: Mailer;
  /** Everything received since the harness was made, in sending order. */
  received(): Promise<ReceivedMail[]>;
  dispose(): Promise<void>;
}

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Carebook//Test//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:contract-1@carebook',
  'SEQUENCE:1',
  'DTSTAMP:20261124T120000Z',
  'DTSTART:20261125T090000Z',
  'DTEND:20261125T093000Z',
  'SUMMARY:Zahnreinigung bei Dr. Müller',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

export const sampleMessage = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: 'pat@example.test',
  subject: 'Bestätigt: Zahnreinigung am 25. November – 10:00 (Europe/Berlin)',
  text: `Hallo Pat,\n\nIhr Termin ist bestätigt. ${'Lange Zeile mit Umlauten äöü. '.repeat(6)}\n\n— Carebook`,
  html: '<p>Hallo Pat,</p><p>Ihr Termin ist <strong>bestätigt</strong>.</p>',
  attachments: [
    { filename: 'invite.ics', content: ICS, contentType: 'text/calendar; method=REQUEST; charset=UTF-8' },
  ],
  idempotencyKey: 'evt-1:user-1:email',
  ...over,
});

/** The one contract every Mailer adapter passes. */
export function mailerContract(name: string, factory: () => Promise<MailerHarness>): void {
  describe(`Mailer contract [${name}]`, () => {
    let harness: MailerHarness;
    beforeEach(async () => {
      harness = await factory();
    });
    afterEach(() => harness.dispose());

    it('delivers recipient, subject, text, HTML and a calendar attachment that parses', async () => {
      const message = sampleMessage();
      await harness.mailer.send(message);
      const [mail, ...others] = await harness.received();
      expect(others).toEqual([]);
      expect(mail?.to).toBe(message.to);
      expect(mail?.subject).toBe(message.subject);
      expect(mail?.text).toBe(message.text);
      expect(mail?.html).toBe(message.html);
      expect(mail?.attachments.map((a) => a.filename)).toEqual(['invite.ics']);
      const ics = mail?.attachments[0];
      expect(ics?.contentType).toMatch(/^text\/calendar;.*method=REQUEST/i);
      const vevent = new ICAL.Component(ICAL.parse(ics?.content.toString('utf8') ?? '')).getFirstSubcomponent(
        'vevent',
      );
      expect(vevent?.getFirstPropertyValue('uid')).toBe('contract-1@carebook');
      expect(vevent?.getFirstPropertyValue('summary')).toBe('Zahnreinigung bei Dr. Müller');
    });

    it('sends a plain-text message without HTML or attachments', async () => {
      await harness.mailer.send({
        to: 'x@example.test',
        subject: 'Hi',
        text: 'Plain.',
        idempotencyKey: 'k-plain',
      });
      const [mail] = await harness.received();
      expect(mail).toMatchObject({
        to: 'x@example.test',
        subject: 'Hi',
        text: 'Plain.',
        html: null,
        attachments: [],
      });
    });

    it('keeps binary attachments byte for byte, in order', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await harness.mailer.send(
        sampleMessage({
          attachments: [
            { filename: 'a.bin', content: bytes, contentType: 'application/octet-stream' },
            { filename: 'b.txt', content: 'zwei', contentType: 'text/plain; charset=UTF-8' },
          ],
        }),
      );
      const [mail] = await harness.received();
      expect(mail?.attachments.map((a) => a.filename)).toEqual(['a.bin', 'b.txt']);
      expect(mail?.attachments[0]?.content.equals(bytes)).toBe(true);
      expect(mail?.attachments[1]?.content.toString('utf8')).toBe('zwei');
    });

    it('makes a retry recognisable: one identity per idempotency key', async () => {
      await harness.mailer.send(sampleMessage({ idempotencyKey: 'evt-9:user-1:email' }));
      await harness.mailer.send(sampleMessage({ idempotencyKey: 'evt-9:user-1:email' }));
      await harness.mailer.send(sampleMessage({ idempotencyKey: 'evt-9:user-2:email' }));
      const identities = (await harness.received()).map((m) => m.identity);
      expect(identities.length).toBeGreaterThanOrEqual(2);
      expect(new Set(identities).size).toBe(2);
    });
  });
}
