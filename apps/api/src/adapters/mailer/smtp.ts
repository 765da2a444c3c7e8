import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../../ports/mailer';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (implicit TLS). */
  url: string;
  /** The From address, e.g. `Carebook <no-reply@carebook.example>`. */
  from: string;
  maxConnections?: number;
}

/** The RFC 5322 Message-ID for an idempotency key: a retry carries the same one. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split('@')[1]?.trim() || 'carebook.invalid';
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${hash}@${domain}>`;
}

/**
 * How long an SMTP server may keep a send waiting: to connect, to greet, and silent mid-dialogue.
 * nodemailer's defaults (2, 0.5 and 10 minutes) could outlast the lease a notification's e-mail is
 * sent under (MAIL_LEASE_MS, 5 minutes), after which another instance may send it too.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export function transportOptions(url: string, maxConnections = 5) {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${u.protocol}//`);
  }
  const secure = u.protocol === 'smtps:';
  return {
    pool: true as const,
    maxConnections,
    ...SMTP_TIMEOUTS,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
  };
}

/** Sends through an SMTP relay with a pooled nodemailer transport. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = nodemailer.createTransport(transportOptions(options.url, options.maxConnections));
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.options.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: messageIdFor(message.idempotencyKey, this.options.from),
      attachments: (message.attachments ?? []).map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
      })),
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
