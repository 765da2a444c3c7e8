import { IdParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../domain/errors';
import type { DevMailbox, StoredMail } from './dev-mailbox';

const PAGE_SIZE = 50;

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc}
pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem}</style></head>
<body><main>${body}</main></body></html>`;

function messageView(mail: StoredMail): string {
  const attachments = mail.attachments.length
    ? `<h2>Attachments</h2><ul>${mail.attachments
        .map(
          (a, i) =>
            `<li><a href="/dev/mailbox/${esc(mail.id)}/attachments/${i}">${esc(a.filename)}</a> (${esc(a.contentType)})</li>`,
        )
        .join('')}</ul>`
    : '';
  const html = mail.html
    ? `<details><summary>HTML version (source)</summary><pre>${esc(mail.html)}</pre></details>`
    : '';
  return page(
    mail.subject,
    `<p><a href="/dev/mailbox">← Mailbox</a></p><h1>${esc(mail.subject)}</h1>
<dl><dt>To</dt><dd>${esc(mail.to)}</dd><dt>Received</dt><dd><time datetime="${esc(mail.createdAt)}">${esc(mail.createdAt)}</time></dd>
<dt>Idempotency key</dt><dd><code>${esc(mail.idempotencyKey)}</code></dd></dl>
<h2>Text</h2><pre>${esc(mail.text)}</pre>${html}${attachments}`,
  );
}

/** Reads a filename safely into a Content-Disposition header (RFC 6266 with RFC 5987 fallback). */
const disposition = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** The embedded profile's mailbox viewer; never registered in production. */
export function devMailboxRoutes(app: FastifyInstance, mailbox: DevMailbox): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/dev/mailbox',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
        }),
      },
    },
    async (request, reply) => {
      const current = request.query.page ?? 1;
      const { items, total } = await mailbox.list(current, PAGE_SIZE);
      const rows = items
        .map(
          (m) =>
            `<tr><td><time datetime="${esc(m.createdAt)}">${esc(m.createdAt)}</time></td><td>${esc(m.to)}</td><td><a href="/dev/mailbox/${esc(m.id)}">${esc(m.subject)}</a></td></tr>`,
        )
        .join('\n');
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const nav = [
        current > 1 ? `<a href="/dev/mailbox?page=${current - 1}" rel="prev">Newer</a>` : '',
        current < pages ? `<a href="/dev/mailbox?page=${current + 1}" rel="next">Older</a>` : '',
      ].join(' ');
      const table = items.length
        ? `<table><caption>${total} message(s), newest first</caption><thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>No messages yet.</p>';
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page('Dev mailbox', `<h1>Dev mailbox</h1>${table}<nav aria-label="Pages">${nav}</nav>`));
    },
  );

  r.get('/dev/mailbox/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const mail = await mailbox.get(request.params.id);
    if (!mail) throw notFound('The message');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(messageView(mail));
  });

  r.get(
    '/dev/mailbox/:id/attachments/:index',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: IdParams.properties.id,
          index: Type.Integer({ minimum: 0, maximum: 100 }),
        }),
      },
    },
    async (request, reply) => {
      const attachment = (await mailbox.get(request.params.id))?.attachments[request.params.index];
      if (!attachment) throw notFound('The attachment');
      return reply
        .type(attachment.contentType)
        .header('content-disposition', disposition(attachment.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(Buffer.from(attachment.contentBase64, 'base64'));
    },
  );
}
