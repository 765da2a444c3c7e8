import { IdParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../domain/errors';
import { devListRoute, devPage, esc, sendDevHtml, timeCell } from '../../http/dev-pages';
import type { DevMailbox, StoredMail } from './dev-mailbox';

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
  return devPage(
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

  devListRoute(app, {
    path: '/dev/mailbox',
    title: 'Dev mailbox',
    columns: ['Received', 'To', 'Subject'],
    list: (page, size) => mailbox.list(page, size),
    cells: (m) => [
      timeCell(m.createdAt),
      esc(m.to),
      `<a href="/dev/mailbox/${esc(m.id)}">${esc(m.subject)}</a>`,
    ],
  });

  r.get('/dev/mailbox/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const mail = await mailbox.get(request.params.id);
    if (!mail) throw notFound('The message');
    return sendDevHtml(reply, messageView(mail));
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
