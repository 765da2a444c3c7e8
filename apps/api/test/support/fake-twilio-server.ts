import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Twilio's Programmable Messaging REST API, speaking its wire format:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with a form-encoded body and HTTP Basic
 * auth (AccountSid:AuthToken), JSON answers (`sid`, `status`, … or `{ code, message, more_info,
 * status }` errors), and status callbacks and inbound messages POSTed form-encoded and signed
 * with `X-Twilio-Signature` as Twilio computes it: base64(HMAC-SHA1(auth token, URL + every
 * parameter name and value, sorted by name)). The signature is computed here independently of
 * the twilio package, so the app's `twilio.validateRequest` is a real cross-check.
 *
 * Test numbers: Twilio's magic `+15005550001` is refused with error 21211 (invalid 'To'), and
 * any number passed to `undeliverable()` is accepted but its callbacks end in `undelivered`
 * with ErrorCode 30003 (unreachable handset).
 */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  status: string;
}

export const INVALID_NUMBER = '+15005550001';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

export class FakeTwilioServer {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  readonly from = '+15005550006';
  readonly messages: FakeTwilioMessage[] = [];
  /** Every callback POSTed, with the answer status (or the network error). */
  readonly callbacks: { url: string; params: Record<string, string>; status: number | string }[] = [];
  private readonly failing = new Set<string>();
  private readonly early = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  undeliverable(phone: string): void {
    this.failing.add(phone);
  }

  /**
   * Messages to this number post their status callbacks before the API answers the send (Twilio
   * gives no ordering guarantee): the sender sees callbacks for a message whose id it has not
   * heard yet.
   */
  callbacksBeforeAnswer(phone: string): void {
    this.early.add(phone);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.json(res, 500, { message: String(err) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await this.settled();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits for every status callback posted so far. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** A phone replying to our number: Twilio's inbound-message webhook, signed. */
  async inbound(webhookUrl: string, from: string, body: string, signWith = this.authToken): Promise<number> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const params = {
      MessageSid: sid,
      SmsSid: sid,
      SmsMessageSid: sid,
      AccountSid: this.accountSid,
      From: from,
      To: this.from,
      Body: body,
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    };
    return this.post(webhookUrl, params, signWith);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!match || req.method !== 'POST')
      return this.error(res, 404, 20404, `The requested resource ${path} was not found`);
    const auth = req.headers.authorization ?? '';
    const [user, pass] = Buffer.from(auth.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    if (!auth.startsWith('Basic ') || user !== this.accountSid || pass !== this.authToken)
      return this.error(res, 401, 20003, 'Authenticate');
    if (match[1] !== this.accountSid) return this.error(res, 404, 20404, 'Account not found');
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return this.error(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const from = form.get('From') ?? '';
    if (!to) return this.error(res, 400, 21604, "A 'To' phone number is required.");
    if (!body) return this.error(res, 400, 21602, 'Message body is required.');
    if (from !== this.from) return this.error(res, 400, 21606, `The From phone number ${from} is not valid.`);
    if (to === INVALID_NUMBER || !/^\+[1-9]\d{6,14}$/.test(to))
      return this.error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const message: FakeTwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from,
      body,
      statusCallback: form.get('StatusCallback'),
      status: 'queued',
    };
    this.messages.push(message);
    const early = message.statusCallback !== null && this.early.has(to);
    if (early && message.statusCallback) await this.deliver(message, message.statusCallback);
    const now = rfc2822(new Date());
    this.json(res, 201, {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.ceil(body.length / 160)),
      price: null,
      price_unit: 'USD',
      sid: message.sid,
      status: 'queued',
      subresource_uris: {
        media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}/Media.json`,
      },
      to,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}.json`,
    });
    if (message.statusCallback && !early) this.track(this.deliver(message, message.statusCallback));
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    p.finally(() => this.pending.delete(p));
  }

  /** What Twilio posts as the message moves: sent, then delivered or undelivered. */
  private async deliver(message: FakeTwilioMessage, callback: string): Promise<void> {
    const fails = this.failing.has(message.to);
    for (const status of ['sent', fails ? 'undelivered' : 'delivered']) {
      message.status = status;
      const params: Record<string, string> = {
        AccountSid: this.accountSid,
        ApiVersion: '2010-04-01',
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
      };
      if (status === 'undelivered') params.ErrorCode = '30003';
      await this.post(callback, params, this.authToken);
    }
  }

  private async post(url: string, params: Record<string, string>, signWith: string): Promise<number> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(signWith, url, params),
          'user-agent': 'TwilioProxy/1.1',
        },
        body: new URLSearchParams(params).toString(),
      });
      await res.arrayBuffer();
      this.callbacks.push({ url, params, status: res.status });
      return res.status;
    } catch (err) {
      this.callbacks.push({ url, params, status: String(err) });
      return 0;
    }
  }

  private error(res: ServerResponse, status: number, code: number, message: string): void {
    this.json(res, status, {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    });
  }

  private json(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
