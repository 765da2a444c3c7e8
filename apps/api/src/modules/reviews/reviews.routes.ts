import {
  IdParams,
  ModeratedReview,
  ModerationPage,
  Review,
  ReviewCreate,
  ReviewHideInput,
  ReviewListQuery,
  ReviewPage,
  ReviewReplyInput,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { ReviewsService } from './reviews.service';

export function reviewsRoutes(app: FastifyInstance, reviews: ReviewsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/bookings/:id/review',
    {
      schema: {
        tags: ['reviews'],
        summary: 'Review my completed visit (once, within the review window)',
        params: IdParams,
        body: ReviewCreate,
        response: { 201: Review },
      },
      config: {
        docs: {
          auth: 'required',
          problems: { 404: 'No such booking of yours', 409: 'Not completed, already reviewed, or too late' },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reviews.create(principalOf(request), request.params.id, request.body)),
  );

  r.get(
    '/api/v1/bookings/:id/review',
    {
      schema: {
        tags: ['reviews'],
        summary: 'My review of this booking, if I wrote one',
        params: IdParams,
        response: { 200: Review },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No review of yours for this booking' } } },
    },
    async (request) => reviews.mine(principalOf(request), request.params.id),
  );

  r.get(
    '/api/v1/providers/:id/reviews',
    {
      schema: {
        tags: ['reviews'],
        summary: "A listing's visible reviews, newest first, with the average rating and count",
        params: IdParams,
        querystring: ReviewListQuery,
        response: { 200: ReviewPage },
      },
      config: { docs: { auth: 'none' } },
    },
    async (request) =>
      reviews.forListing(request.params.id, request.query.page ?? 1, request.query.pageSize ?? 20),
  );

  r.post(
    '/api/v1/reviews/:id/reply',
    {
      schema: {
        tags: ['reviews'],
        summary: 'The practice replies to a review of its listing (once)',
        params: IdParams,
        body: ReviewReplyInput,
        response: { 200: Review },
      },
      config: { docs: { auth: 'required', problems: { 403: 'Not this practice', 409: 'Already replied' } } },
    },
    async (request) => reviews.reply(principalOf(request), request.params.id, request.body.text),
  );

  r.get(
    '/api/v1/admin/reviews',
    {
      schema: {
        tags: ['reviews', 'admin'],
        summary: 'Every review, hidden ones included, newest first (admins)',
        querystring: ReviewListQuery,
        response: { 200: ModerationPage },
      },
      config: { docs: { auth: 'required', problems: { 403: 'Admins only' } } },
    },
    async (request) =>
      reviews.moderation(principalOf(request), request.query.page ?? 1, request.query.pageSize ?? 20),
  );

  r.post(
    '/api/v1/admin/reviews/:id/hide',
    {
      schema: {
        tags: ['reviews', 'admin'],
        summary: 'Hide a review with a reason (audited); it leaves the listing and its average',
        params: IdParams,
        body: ReviewHideInput,
        response: { 200: ModeratedReview },
      },
      config: { docs: { auth: 'required', problems: { 403: 'Admins only', 409: 'Already hidden' } } },
    },
    async (request) =>
      reviews.hide(principalOf(request), metaOf(request), request.params.id, request.body.reason),
  );
}
