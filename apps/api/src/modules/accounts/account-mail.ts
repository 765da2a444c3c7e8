import type { FastifyBaseLogger } from 'fastify';
import type { Mailer, MailMessage } from '../../ports/mailer';

/** The e-mails of sign-up and password reset. Plain text: the links are the whole point. */
export const accountMail = {
  verify: (to: string, name: string, link: string, hours: number, key: string): MailMessage => ({
    to,
    subject: 'Confirm your e-mail address for Carebook',
    text: `Hello ${name},\n\nPlease confirm that this is your e-mail address by opening this link:\n\n${link}\n\nThe link works once and expires in ${hours} hour(s). Until you confirm, you can sign in but not book.\n\nIf you did not sign up for Carebook, ignore this message; no account will be usable for booking with this address.\n`,
    idempotencyKey: key,
  }),
  alreadyRegistered: (
    to: string,
    name: string,
    signInUrl: string,
    resetUrl: string,
    key: string,
  ): MailMessage => ({
    to,
    subject: 'Someone tried to sign up to Carebook with your address',
    text: `Hello ${name},\n\nSomeone (perhaps you) tried to create a Carebook account with this e-mail address, which already has an account.\n\nTo use your account, sign in: ${signInUrl}\nForgot your password? Reset it: ${resetUrl}\n\nIf this was not you, you can ignore this message; nothing has changed.\n`,
    idempotencyKey: key,
  }),
  reset: (to: string, name: string, link: string, minutes: number, key: string): MailMessage => ({
    to,
    subject: 'Reset your Carebook password',
    text: `Hello ${name},\n\nTo choose a new password, open this link:\n\n${link}\n\nThe link works once and expires in ${minutes} minutes. Every device signed in to your account will be signed out.\n\nIf you did not ask for this, ignore this message; your password stays as it is.\n`,
    idempotencyKey: key,
  }),
  passwordChanged: (to: string, name: string, atUtc: string, resetUrl: string, key: string): MailMessage => ({
    to,
    subject: 'Your Carebook password was changed',
    text: `Hello ${name},\n\nThe password of your Carebook account was changed at ${atUtc} (UTC) and every device was signed out.\n\nIf this was not you, reset your password now: ${resetUrl}\n`,
    idempotencyKey: key,
  }),
  staffInvitation: (
    to: string,
    providerName: string,
    link: string,
    days: number,
    key: string,
  ): MailMessage => ({
    to,
    subject: `${providerName} invites you to Carebook as staff`,
    text: `Hello,\n\n${providerName} invites you to help manage their practice on Carebook (listings, schedule and bookings).\n\nTo accept, open this link:\n\n${link}\n\nThe link works once and expires in ${days} day(s). If you do not know ${providerName}, ignore this message.\n`,
    idempotencyKey: key,
  }),
};

/**
 * Sends account e-mails. A failed send is logged, never surfaced: whether a message went out
 * must not change the answer (it would tell whether an address has an account). `later` sends
 * after the response so its time does not show either; `drain` waits for those (shutdown).
 */
export class AccountMailSender {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    private readonly log: FastifyBaseLogger,
  ) {}

  async now(message: MailMessage): Promise<void> {
    try {
      await this.mailer.send(message);
    } catch (err) {
      this.log.error({ err, mail: message.idempotencyKey }, 'account e-mail not sent');
    }
  }

  later(message: MailMessage): void {
    const sending = this.now(message).finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
