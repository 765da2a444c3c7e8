import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** HTML-escapes text for the dev viewers (element content and quoted attribute values). */
export const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A whole page of a dev viewer (/dev/mailbox, /dev/sms). */
export const devPage = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top}
pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem}</style></head>
<body><main>${body}</main></body></html>`;

/** Answers a dev viewer page: HTML, never cached (it shows personal data). */
export const sendDevHtml = (reply: FastifyReply, html: string): FastifyReply =>
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

const PAGE_SIZE = 50;

interface DevListOptions<T> {
  path: string;
  title: string;
  /** Column headings, in order. */
  columns: string[];
  list: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>;
  /** One table row's cells, already escaped HTML. */
  cells: (item: T) => string[];
}

/** The paged, newest-first list page of a dev viewer; never registered in production. */
export function devListRoute<T>(app: FastifyInstance, o: DevListOptions<T>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    o.path,
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
      const { items, total } = await o.list(current, PAGE_SIZE);
      const rows = items
        .map(
          (m) =>
            `<tr>${o
              .cells(m)
              .map((c) => `<td>${c}</td>`)
              .join('')}</tr>`,
        )
        .join('\n');
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const nav = [
        current > 1 ? `<a href="${o.path}?page=${current - 1}" rel="prev">Newer</a>` : '',
        current < pages ? `<a href="${o.path}?page=${current + 1}" rel="next">Older</a>` : '',
      ].join(' ');
      const head = o.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
      const table = items.length
        ? `<table><caption>${total} message(s), newest first</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
        : '<p>No messages yet.</p>';
      return sendDevHtml(
        reply,
        devPage(o.title, `<h1>${esc(o.title)}</h1>${table}<nav aria-label="Pages">${nav}</nav>`),
      );
    },
  );
}

/** A `<time>` cell for a stored timestamp. */
export const timeCell = (at: string): string => `<time datetime="${esc(at)}">${esc(at)}</time>`;
