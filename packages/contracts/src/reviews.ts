import { type Static, Type } from '@sinclair/typebox';
import { DateTime, PageQuery, Uuid } from './common';

export const ReviewCreate = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Show my full name; otherwise the review shows first name and initial ("Ada L."). */
    showFullName: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type ReviewCreate = Static<typeof ReviewCreate>;

export const ReviewReplyInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type ReviewReplyInput = Static<typeof ReviewReplyInput>;

export const ReviewHideInput = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ReviewHideInput = Static<typeof ReviewHideInput>;

/** A review as the public sees it: the author is a first name and initial unless they chose more. */
export const Review = Type.Object(
  {
    id: Uuid,
    providerId: Uuid,
    serviceName: Type.String(),
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    text: Type.String(),
    author: Type.String(),
    createdAt: DateTime,
    reply: Type.Union([Type.Object({ text: Type.String(), at: DateTime }), Type.Null()]),
  },
  { $id: 'Review' },
);
export type Review = Static<typeof Review>;

/** What admins see in the moderation list. */
export const ModeratedReview = Type.Intersect(
  [
    Review,
    Type.Object({
      bookingId: Uuid,
      hidden: Type.Union([Type.Object({ at: DateTime, reason: Type.String() }), Type.Null()]),
    }),
  ],
  { $id: 'ModeratedReview' },
);
export type ModeratedReview = Static<typeof ModeratedReview>;

export const ReviewSummary = Type.Object({
  /** Mean of the visible reviews' ratings, one decimal; null with no reviews. */
  average: Type.Union([Type.Number(), Type.Null()]),
  count: Type.Integer({ minimum: 0 }),
});
export type ReviewSummary = Static<typeof ReviewSummary>;

export const ReviewPage = Type.Object({
  summary: ReviewSummary,
  items: Type.Array(Review),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  total: Type.Integer({ minimum: 0 }),
});
export type ReviewPage = Static<typeof ReviewPage>;

export const ModerationPage = Type.Object({
  items: Type.Array(ModeratedReview),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  total: Type.Integer({ minimum: 0 }),
});
export type ModerationPage = Static<typeof ModerationPage>;

export const ReviewListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type ReviewListQuery = Static<typeof ReviewListQuery>;
