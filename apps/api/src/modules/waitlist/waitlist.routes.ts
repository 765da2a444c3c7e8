import {
  IdParams,
  NoContent,
  WaitlistAccepted,
  WaitlistEntry,
  WaitlistJoin,
  WaitlistList,
  WaitlistOfferAction,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { WaitlistService } from './waitlist.service';

export function waitlistRoutes(app: FastifyInstance, waitlist: WaitlistService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/waitlist',
    {
      schema: {
        tags: ['waitlist'],
        summary: "Join a listing's waitlist for a service (a window, or earlier than one of my bookings)",
        body: WaitlistJoin,
        response: { 201: WaitlistEntry },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such listing or service' } } },
    },
    async (request, reply) => reply.code(201).send(await waitlist.join(principalOf(request), request.body)),
  );

  r.get(
    '/api/v1/waitlist',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'My waitlist entries, with the offer open for each',
        response: { 200: WaitlistList },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) => ({ items: await waitlist.list(principalOf(request)) }),
  );

  r.delete(
    '/api/v1/waitlist/:id',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Leave the waitlist (an open offer is declined)',
        params: IdParams,
        response: { 204: NoContent },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such entry of yours' } } },
    },
    async (request, reply) => {
      await waitlist.leave(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/waitlist/offers/:id/accept',
    {
      schema: {
        tags: ['waitlist'],
        summary:
          'Accept an offer: free services are booked; paid ones await their payment; "earlier than my booking" moves that booking here (a reschedule: linked, it keeps its payment)',
        params: IdParams,
        body: WaitlistOfferAction,
        response: { 200: WaitlistAccepted },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            404: 'No such offer of yours',
            409: 'WAITLIST_OFFER_CLOSED: the offer is no longer open; CANCELLATION_WINDOW_PASSED: the booking to move is inside its cancellation window (nothing changed, the offer went to the next patient)',
          },
        },
      },
    },
    async (request) => waitlist.accept(principalOf(request), request.params.id),
  );

  r.post(
    '/api/v1/waitlist/offers/:id/decline',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Decline an offer: the time goes to the next patient in line',
        params: IdParams,
        body: WaitlistOfferAction,
        response: { 204: NoContent },
      },
      config: {
        docs: {
          auth: 'required',
          problems: { 404: 'No such offer of yours', 409: 'The offer is no longer open' },
        },
      },
    },
    async (request, reply) => {
      await waitlist.decline(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
