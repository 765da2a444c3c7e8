import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsSender } from '../../ports/sms';

/** A message as the receiving side (the stand-in's phone, the dev inbox) saw it. */
interface ReceivedSms {
  providerId: string;
  to: string;
  body: string;
}

export interface SmsHarness {
  sender: SmsSender;
  /** Everything received since the harness was made, in sending order. */
  received(): Promise<ReceivedSms[]>;
  dispose(): Promise<void>;
}

/** The one contract every SMS adapter passes (ARCHITECTURE.md: one shared suite per port). */
export function smsContract(
  name: string,
  make: () => Promise<SmsHarness>,
  /** A number the provider refuses outright; the dev inbox refuses none. */
  refusedNumber: string | null,
): void {
  describe(`SMS contract: ${name}`, () => {
    let h: SmsHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.dispose();
    });

    it('delivers the text unchanged to the number, and answers the provider id and a status', async () => {
      const body = 'Carebook reminder: Zahnreinigung bei Dr. Müller — Thu 10 Dec, 10:00 ✓';
      const a = await h.sender.send({ to: '+4915112345678', body });
      const b = await h.sender.send({ to: '+14155550123', body: 'second' });
      expect(a.providerId).not.toBe(b.providerId);
      expect(['queued', 'accepted', 'sent', 'delivered']).toContain(a.status);
      expect(await h.received()).toEqual([
        { providerId: a.providerId, to: '+4915112345678', body },
        { providerId: b.providerId, to: '+14155550123', body: 'second' },
      ]);
    });

    it.skipIf(!refusedNumber)('throws SmsSendError for a refused number; nothing is received', async () => {
      await expect(h.sender.send({ to: refusedNumber ?? '', body: 'x' })).rejects.toMatchObject({
        name: 'SmsSendError',
      });
      expect(await h.received()).toEqual([]);
    });
  });
}
