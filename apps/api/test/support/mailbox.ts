import type { FastifyInstance } from 'fastify';
import { eventually } from './eventually';

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The newest message to `to` in the dev mailbox (read through its pages, as a person would). */
async function newestMail(app: FastifyInstance, to: string, subject: RegExp): Promise<string | null> {
  for (let page = 1; ; page++) {
    const list = await app.inject({ method: 'GET', url: `/dev/mailbox?page=${page}` });
    for (const row of list.body.split('<tr>').slice(1)) {
      const m = /<td>([^<]*)<\/td><td><a href="\/dev\/mailbox\/([^"]+)">([^<]*)<\/a>/.exec(row);
      if (!m || unescapeHtml(m[1] ?? '') !== to || !subject.test(unescapeHtml(m[3] ?? ''))) continue;
      const message = await app.inject({ method: 'GET', url: `/dev/mailbox/${m[2]}` });
      const text = /<h2>Text<\/h2><pre>([\s\S]*?)<\/pre>/.exec(message.body)?.[1];
      return text === undefined ? null : unescapeHtml(text);
    }
    if (!list.body.includes('rel="next"')) return null;
  }
}

/** Waits for a message to `to` whose subject matches (some are sent after the response). */
export async function mailText(app: FastifyInstance, to: string, subject: RegExp): Promise<string> {
  const text = await eventually(
    () => newestMail(app, to, subject),
    (t) => t !== null,
  );
  if (text === null) throw new Error(`no e-mail to ${to} matching ${subject}`);
  return text;
}

/** The single-use token of the newest link of that kind e-mailed to `to`. */
export async function linkToken(
  app: FastifyInstance,
  to: string,
  kind: 'verify-email' | 'reset-password',
): Promise<string> {
  const subject = kind === 'verify-email' ? /Confirm your e-mail/ : /Reset your Carebook password/;
  const text = await mailText(app, to, subject);
  const token = new RegExp(`/${kind}#token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
  if (!token) throw new Error(`no ${kind} link in the e-mail to ${to}`);
  return token;
}
