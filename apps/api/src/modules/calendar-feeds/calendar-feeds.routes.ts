import { CalendarFeed, CalendarFeedParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config';
import type { Adapters, Services } from '../../container';
import { metaOf, principalOf } from '../../http/auth-plugin';
import { CalendarFeedsRepository } from './calendar-feeds.repository';
import { CalendarFeedsService } from './calendar-feeds.service';

const tags = ['calendar-feeds'];

/** Wires the calendar feeds and registers their routes. */
export function registerCalendarFeeds(
  app: FastifyInstance,
  services: Services,
  adapters: Adapters,
  config: Config,
): void {
  const feeds = new CalendarFeedsService({
    repo: new CalendarFeedsRepository(adapters.dbs.inventory.db),
    users: services.users,
    bookings: services.bookings,
    audit: services.audit,
    clock: adapters.clock,
    publicUrl: config.publicUrl,
  });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/calendar-feed',
    {
      schema: {
        tags,
        summary: 'Your private calendar feed link (null until you create one)',
        response: { 200: Type.Object({ feed: Type.Union([CalendarFeed, Type.Null()]) }) },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) => ({ feed: await feeds.get(principalOf(request)) }),
  );
  r.post(
    '/api/v1/calendar-feed/rotate',
    {
      schema: {
        tags,
        summary: 'Create your calendar feed link, or replace it (the old link stops working)',
        body: Type.Object({}, { additionalProperties: false, description: 'Send {}' }),
        response: { 201: CalendarFeed },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request, reply) => reply.code(201).send(await feeds.rotate(principalOf(request), metaOf(request))),
  );
  r.delete(
    '/api/v1/calendar-feed',
    {
      schema: { tags, summary: 'Turn your calendar feed off', response: { 204: Type.Null() } },
      config: { docs: { auth: 'required', problems: { 404: 'You have no calendar feed' } } },
    },
    async (request, reply) => {
      await feeds.revoke(principalOf(request), metaOf(request));
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/api/v1/calendar/:token',
    {
      schema: {
        tags,
        summary: 'A calendar feed (RFC 5545); the secret token in the URL is the credential',
        params: CalendarFeedParams,
        response: {
          200: Type.String({ description: 'text/calendar' }),
          304: Type.Null({ description: 'Not modified: the If-None-Match ETag is current' }),
        },
      },
      config: { docs: { problems: { 404: 'Unknown, rotated or revoked feed' } } },
    },
    async (request, reply) => {
      const { etag, ics } = await feeds.render(
        request.params.token.replace(/\.ics$/, ''),
        metaOf(request),
        request.headers['if-none-match'],
      );
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (ics === null) return reply.code(304).send(null);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="carebook.ics"')
        .send(ics);
    },
  );
}
