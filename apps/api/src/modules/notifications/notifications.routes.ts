import { IdParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { AuditService } from '../audit/audit.service';
import { auditBookingView } from '../bookings/booking-read-audit';
import { Notification, NotificationListQuery, NotificationPage } from './notifications.schemas';
import type { NotificationsService } from './notifications.service';

export function notificationsRoutes(
  app: FastifyInstance,
  notifications: NotificationsService,
  audit?: AuditService,
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the unread count',
        querystring: NotificationListQuery,
        response: { 200: NotificationPage },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) =>
      notifications.list(principalOf(request).userId, request.query.page ?? 1, request.query.pageSize ?? 20),
  );

  r.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of my notifications read',
        params: IdParams,
        response: { 200: Notification },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such notification of yours' } } },
    },
    async (request) => notifications.markRead(principalOf(request).userId, request.params.id),
  );

  r.get(
    '/api/v1/bookings/:id/ics',
    {
      schema: {
        tags: ['bookings'],
        summary: 'The booking as a calendar file (.ics): the same event the e-mailed invitations carry',
        params: IdParams,
        response: {
          200: {
            description: 'An RFC 5545 calendar (METHOD:PUBLISH)',
            content: { 'text/calendar': { schema: Type.String() } },
          },
        },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such booking (or not yours)' } } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { ics, patientId } = await notifications.calendarFile(principal, request.params.id);
      if (audit)
        await auditBookingView(audit, principal, { id: request.params.id, patientId }, metaOf(request), {
          as: 'ics',
        });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="carebook-${request.params.id}.ics"`)
        .send(ics);
    },
  );
}
