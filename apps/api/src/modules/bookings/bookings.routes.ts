import {
  Booking,
  BookingListQuery,
  CreateBookingBody,
  IdParams,
  Page,
  ReasonedActionBody,
  RescheduleBody,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { AuditService } from '../audit/audit.service';
import { auditBookingList, auditBookingView } from './booking-read-audit';
import type { Bookings } from './booking-shards';
import type { BookingEventType } from './domain';

const tags = ['bookings'];
const actionProblems = {
  404: 'No such booking (or not yours)',
  409: 'INVALID_TRANSITION, CANCELLATION_WINDOW_PASSED, SLOT_TAKEN or CONFLICT',
};

export function bookingsRoutes(app: FastifyInstance, bookings: Bookings, audit: AuditService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/bookings',
    {
      schema: {
        tags,
        summary: 'Book a slot: holds the time, then confirms (free) or asks for payment',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: CreateBookingBody,
        response: { 201: Booking },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            404: 'No such published listing or service',
            409: 'SLOT_TAKEN or NOT_BOOKABLE',
            422: 'IDEMPOTENCY_KEY_REUSED with another body',
            503: 'Payments unavailable (nothing is held)',
          },
        },
      },
    },
    async (request, reply) => {
      const booking = await bookings.create(
        principalOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.code(201).header('location', `/api/v1/bookings/${booking.id}`).send(booking);
    },
  );

  r.get(
    '/api/v1/bookings',
    {
      schema: {
        tags,
        summary: 'Your bookings (patients), your practice’s (providers, staff), or all (admins)',
        querystring: BookingListQuery,
        response: { 200: Page(Booking) },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await bookings.list(principal, request.query);
      await auditBookingList(audit, principal, page.items, metaOf(request));
      return page;
    },
  );

  r.get(
    '/api/v1/bookings/:id',
    {
      schema: { tags, summary: 'One booking with its history', params: IdParams, response: { 200: Booking } },
      config: { docs: { auth: 'required', problems: { 404: 'No such booking (or not yours)' } } },
    },
    async (request) => {
      const principal = principalOf(request);
      const booking = await bookings.get(principal, request.params.id);
      await auditBookingView(audit, principal, booking, metaOf(request));
      return booking;
    },
  );

  const actions: { path: string; event: BookingEventType; summary: string }[] = [
    {
      path: 'cancel',
      event: 'cancel',
      summary: 'Cancel (patients within the policy; the practice any time, with a reason)',
    },
    {
      path: 'no-show',
      event: 'mark_no_show',
      summary: 'Mark a no-show (provider or staff, after the start)',
    },
    { path: 'complete', event: 'complete', summary: 'Mark completed (provider or staff, after the start)' },
  ];
  for (const action of actions) {
    r.post(
      `/api/v1/bookings/:id/${action.path}`,
      {
        schema: {
          tags,
          summary: action.summary,
          params: IdParams,
          body: ReasonedActionBody,
          response: { 200: Booking },
        },
        config: { docs: { auth: 'required', problems: actionProblems } },
      },
      async (request) =>
        bookings.act(principalOf(request), request.params.id, {
          type: action.event,
          ...(request.body.reason ? { reason: request.body.reason } : {}),
        }),
    );
  }

  r.post(
    '/api/v1/bookings/:id/reschedule',
    {
      schema: {
        tags,
        summary:
          'Move a confirmed booking: the new one is created and the old one cancelled and linked, or neither',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: Booking },
      },
      config: { docs: { auth: 'required', problems: actionProblems } },
    },
    async (request) =>
      bookings.reschedule(principalOf(request), request.params.id, request.body.start, request.body.reason),
  );
}
