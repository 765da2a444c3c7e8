import { DateTime, PageQuery, Uuid } from '@carebook/contracts';
import { type Static, Type } from '@sinclair/typebox';

/** Local until the contracts package adopts them (the web app will want them typed). */
export const Notification = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  kind: Type.String({
    description:
      'requested, awaiting_payment, confirmed, rescheduled, started, completed, cancelled, expired, no_show, reminder, waitlist_offer (moved: older rows)',
  }),
  title: Type.String(),
  body: Type.String(),
  createdAt: DateTime,
  readAt: Type.Union([DateTime, Type.Null()]),
});
export type Notification = Static<typeof Notification>;

export const NotificationPage = Type.Object({
  items: Type.Array(Notification),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  total: Type.Integer({ minimum: 0 }),
  unread: Type.Integer({ minimum: 0, description: 'Unread notifications in total, not only on this page' }),
});
export type NotificationPage = Static<typeof NotificationPage>;

export const NotificationListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type NotificationListQuery = Static<typeof NotificationListQuery>;
