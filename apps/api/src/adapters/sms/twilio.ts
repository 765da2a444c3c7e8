import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import {
  type SmsMessage,
  SmsSendError,
  type SmsSender,
  type SmsSendResult,
  type SmsStatus,
} from '../../ports/sms';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** Our sending number (E.164). */
  from: string;
  /** Another API origin (a local stand-in, a proxy); Twilio's own when absent. */
  apiUrl?: string;
  timeoutMs?: number;
}

const TWILIO_API = 'https://api.twilio.com';

/**
 * Twilio's HTTP client, pointed at another origin: every request to api.twilio.com goes to
 * `apiUrl` instead, path, auth and body unchanged.
 */
class RedirectingRequestClient extends RequestClient {
  constructor(
    private readonly origin: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const uri = opts.uri.startsWith(TWILIO_API) ? this.origin + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request({ ...opts, uri });
  }
}

/** SMS through Twilio's Programmable Messaging API (the official `twilio` package). */
export class TwilioSms implements SmsSender {
  private readonly client: twilio.Twilio;

  constructor(private readonly o: TwilioSmsOptions) {
    const timeout = o.timeoutMs ?? 10_000;
    this.client = twilio(o.accountSid, o.authToken, {
      timeout,
      ...(o.apiUrl ? { httpClient: new RedirectingRequestClient(o.apiUrl.replace(/\/$/, ''), timeout) } : {}),
    });
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    try {
      const sent = await this.client.messages.create({
        to: message.to,
        from: this.o.from,
        body: message.body,
        ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
      });
      return { providerId: sent.sid, status: sent.status as SmsStatus };
    } catch (err) {
      if (err instanceof twilio.RestException)
        throw new SmsSendError(
          `Twilio refused the message: ${err.message}`,
          err.code ? String(err.code) : null,
        );
      throw new SmsSendError(`Twilio did not answer: ${(err as Error).message}`);
    }
  }

  verifyWebhook(url: string, params: Record<string, string>, signature: string | undefined): boolean {
    if (!signature) return false;
    return twilio.validateRequest(this.o.authToken, signature, url, params);
  }

  async close(): Promise<void> {}
}
