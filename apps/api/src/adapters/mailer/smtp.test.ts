import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeHeader, leaves, parseMime } from '../../../test/support/mime';
import { mailerContract, type ReceivedMail, sampleMessage } from './mailer.contract';
import { messageIdFor, SmtpMailer, transportOptions } from './smtp';

interface Delivery {
  raw: Buffer;
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
}

/** A real SMTP server on 127.0.0.1:0 that keeps every message it accepts. */
async function startSmtp(opts: { rejectRecipient?: string } = {}) {
  const deliveries: Delivery[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'p@ss:word')
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === opts.rejectRecipient) callback(new Error('Mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        deliveries.push({
          raw: Buffer.concat(chunks),
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const FROM = 'Carebook <no-reply@carebook.test>';
const url = (port: number) => `smtp://mailer:${encodeURIComponent('p@ss:word')}@127.0.0.1:${port}`;

function received(delivery: Delivery): ReceivedMail & { from: string } {
  // The DATA stream ends with the CRLF before "."; text travels with CRLF line ends (RFC 5321).
  const message = parseMime(delivery.raw.toString('latin1').replace(/\r\n$/, ''));
  const lf = (b: Buffer) => b.toString('utf8').replace(/\r\n/g, '\n');
  const all = leaves(message);
  const inline = (type: string) =>
    all.find(
      (p) => p.contentType === type && !p.headers.get('content-disposition')?.startsWith('attachment'),
    );
  const text = inline('text/plain');
  const html = inline('text/html');
  return {
    identity: message.headers.get('message-id') ?? '',
    from: decodeHeader(message.headers.get('from') ?? ''),
    to: message.headers.get('to') ?? '',
    subject: decodeHeader(message.headers.get('subject') ?? ''),
    text: text ? lf(text.body) : '',
    html: html ? lf(html.body) : null,
    attachments: all
      .filter((p) => p.headers.get('content-disposition')?.startsWith('attachment'))
      .map((p) => ({
        filename: /filename="?([^";]+)"?/.exec(p.headers.get('content-disposition') ?? '')?.[1] ?? '',
        contentType: p.headers.get('content-type') ?? '',
        content: p.body,
      })),
  };
}

mailerContract('smtp', async () => {
  const server = await startSmtp();
  const mailer = new SmtpMailer({ url: url(server.port), from: FROM });
  return {
    mailer,
    received: async () => server.deliveries.map(received),
    dispose: async () => {
      await mailer.close();
      await server.close();
    },
  };
});

describe('SmtpMailer', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });
  async function setup(opts: { rejectRecipient?: string; url?: (port: number) => string } = {}) {
    const server = await startSmtp(opts);
    const mailer = new SmtpMailer({ url: (opts.url ?? url)(server.port), from: FROM });
    cleanup.push(async () => {
      await mailer.close();
      await server.close();
    });
    return { server, mailer };
  }

  it('authenticates with the URL credentials and sends From, envelope and a derived Message-ID', async () => {
    const { server, mailer } = await setup();
    await mailer.send(sampleMessage({ idempotencyKey: 'evt-1:user-1:email' }));
    const [delivery] = server.deliveries;
    expect(delivery?.user).toBe('mailer');
    expect(delivery?.envelopeFrom).toBe('no-reply@carebook.test');
    expect(delivery?.envelopeTo).toEqual(['pat@example.test']);
    const mail = received(delivery as Delivery);
    expect(mail.from).toBe('Carebook <no-reply@carebook.test>');
    expect(mail.identity).toBe(messageIdFor('evt-1:user-1:email', FROM));
    expect(mail.identity).toMatch(/^<[0-9a-f]{40}@carebook\.test>$/);
    expect(mail.attachments[0]?.contentType).toMatch(/^text\/calendar; method=REQUEST; charset=UTF-8/);
  });

  it('rejects when the server refuses the recipient, so the caller retries', async () => {
    const { server, mailer } = await setup({ rejectRecipient: 'pat@example.test' });
    await expect(mailer.send(sampleMessage())).rejects.toThrow(/Mailbox unavailable/);
    expect(server.deliveries).toEqual([]);
  });

  it('rejects on wrong credentials', async () => {
    const { mailer } = await setup({ url: (port) => `smtp://mailer:wrong@127.0.0.1:${port}` });
    await expect(mailer.send(sampleMessage())).rejects.toThrow(/Invalid username or password/);
  });

  it('reads smtp:// and smtps:// URLs and refuses anything else', () => {
    expect(transportOptions('smtp://u%40x:p%3Aw@mail.example:2525')).toMatchObject({
      host: 'mail.example',
      port: 2525,
      secure: false,
      pool: true,
      auth: { user: 'u@x', pass: 'p:w' },
      socketTimeout: 60_000,
    });
    expect(transportOptions('smtps://mail.example')).toMatchObject({ port: 465, secure: true });
    expect(transportOptions('smtp://mail.example')).not.toHaveProperty('auth');
    expect(() => transportOptions('http://mail.example')).toThrow(/SMTP_URL/);
  });
});
