/** Sending e-mail. Adapters: a dev mailbox viewable in the browser (embedded) and SMTP. */
export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  /** e.g. 'text/calendar; method=REQUEST; charset=UTF-8' */
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Stable id, so a retried notification is recognisable (Message-ID / dedupe key). */
  idempotencyKey: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
