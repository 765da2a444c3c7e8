import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DevSmsInbox } from './dev-inbox';

const PAGE_SIZE = 50;

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The embedded profile's SMS inbox viewer (like /dev/mailbox); never registered in production. */
export function devSmsInboxRoutes(app: FastifyInstance, inbox: DevSmsInbox): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/dev/sms',
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
      const { items, total } = await inbox.list(current, PAGE_SIZE);
      const rows = items
        .map(
          (m) =>
            `<tr><td><time datetime="${esc(m.createdAt)}">${esc(m.createdAt)}</time></td><td>${esc(m.to)}</td><td>${esc(m.body)}</td></tr>`,
        )
        .join('\n');
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const nav = [
        current > 1 ? `<a href="/dev/sms?page=${current - 1}" rel="prev">Newer</a>` : '',
        current < pages ? `<a href="/dev/sms?page=${current + 1}" rel="next">Older</a>` : '',
      ].join(' ');
      const table = items.length
        ? `<table><caption>${total} message(s), newest first</caption><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">Text</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>No messages yet.</p>';
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev SMS inbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top}</style></head>
<body><main><h1>Dev SMS inbox</h1>${table}<nav aria-label="Pages">${nav}</nav></main></body></html>`);
    },
  );
}
