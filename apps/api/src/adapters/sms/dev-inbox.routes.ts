import type { FastifyInstance } from 'fastify';
import { devListRoute, esc, timeCell } from '../../http/dev-pages';
import type { DevSmsInbox } from './dev-inbox';

/** The embedded profile's SMS inbox viewer (like /dev/mailbox); never registered in production. */
export function devSmsInboxRoutes(app: FastifyInstance, inbox: DevSmsInbox): void {
  devListRoute(app, {
    path: '/dev/sms',
    title: 'Dev SMS inbox',
    columns: ['Sent', 'To', 'Text'],
    list: (page, size) => inbox.list(page, size),
    cells: (m) => [timeCell(m.createdAt), esc(m.to), esc(m.body)],
  });
}
