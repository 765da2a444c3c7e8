import { BookingSeries, CancelSeriesBody, CreateSeriesBody, IdParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { Clock } from '../../ports/clock';
import type { ProvidersService } from '../providers/providers.service';
import type { Bookings } from './booking-shards';
import { seriesIcs } from './series-ics';

const tags = ['bookings'];

/** Recurring series: book one (all dates or none), read it, cancel the rest, download it as .ics. */
export function bookingSeriesRoutes(
  app: FastifyInstance,
  deps: { series: Bookings['series']; providers: ProvidersService; clock: Clock; publicUrl: string },
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { series } = deps;

  r.post(
    '/api/v1/booking-series',
    {
      schema: {
        tags,
        summary:
          'Book a weekly series: every date is claimed in one transaction, or nothing is booked; a paid service is paid once, for the sum (every occurrence answers payment_pending with the same payment)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: CreateSeriesBody,
        response: { 201: BookingSeries },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            404: 'No such published listing, service or patient',
            409: 'SERIES_CONFLICT: `conflicts` names each date that cannot be booked, with other times that day',
            422: 'SERIES_NOT_ALLOWED (listing does not take series from patients); IDEMPOTENCY_KEY_REUSED',
            503: 'SERVICE_UNAVAILABLE: the payment provider refused the series’ payment; nothing is held, the key is free again',
          },
        },
      },
    },
    async (request, reply) => {
      const created = await series.create(
        principalOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.code(201).header('location', `/api/v1/booking-series/${created.id}`).send(created);
    },
  );

  r.get(
    '/api/v1/booking-series/:id',
    {
      schema: {
        tags,
        summary: 'A series and its occurrences',
        params: IdParams,
        response: { 200: BookingSeries },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such series (or not yours)' } } },
    },
    async (request) => series.get(principalOf(request), request.params.id),
  );

  r.post(
    '/api/v1/booking-series/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel one occurrence and every later one (each by the booking rules: policy, refunds)',
        params: IdParams,
        body: CancelSeriesBody,
        response: { 200: BookingSeries },
      },
      config: {
        docs: {
          auth: 'required',
          problems: { 404: 'No such series', 409: 'INVALID_TRANSITION: nothing left to cancel' },
        },
      },
    },
    async (request) =>
      series.cancelFrom(
        principalOf(request),
        request.params.id,
        request.body.fromOccurrence,
        request.body.reason,
      ),
  );

  r.get(
    '/api/v1/booking-series/:id/calendar.ics',
    {
      schema: {
        tags,
        summary: 'The series as one recurring event (RRULE, EXDATE for cancelled dates, VTIMEZONE)',
        params: IdParams,
        response: { 200: Type.String({ description: 'text/calendar' }) },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such series (or not yours)' } } },
    },
    async (request, reply) => {
      const s = await series.get(principalOf(request), request.params.id);
      const listing = await deps.providers.get(null, s.providerId).catch(() => null);
      const address = listing?.address;
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="carebook-series.ics"')
        .send(
          seriesIcs(s, {
            now: deps.clock.now(),
            url: new URL(`/bookings/${s.items[0]?.booking.id ?? ''}`, deps.publicUrl).toString(),
            location: address ? `${address.line1}, ${address.postcode} ${address.city}` : s.providerName,
          }),
        );
    },
  );
}
