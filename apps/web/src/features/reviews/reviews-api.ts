import type { ModeratedReview, ModerationPage, Review, ReviewCreate, ReviewPage } from '@carebook/contracts';
import { apiRequest } from '../../api/client';

export const reviewKeys = {
  listing: (id: string) => ['reviews', 'listing', id] as const,
  mine: (bookingId: string) => ['reviews', 'mine', bookingId] as const,
  moderation: (page: number) => ['reviews', 'moderation', page] as const,
};

export const reviewsApi = {
  forListing: (id: string) =>
    apiRequest<ReviewPage>(`/api/v1/providers/${id}/reviews`, { query: { pageSize: 50 } }),
  mine: (bookingId: string) => apiRequest<Review>(`/api/v1/bookings/${bookingId}/review`),
  create: (bookingId: string, body: ReviewCreate) =>
    apiRequest<Review>(`/api/v1/bookings/${bookingId}/review`, { method: 'POST', body }),
  reply: (reviewId: string, text: string) =>
    apiRequest<Review>(`/api/v1/reviews/${reviewId}/reply`, { method: 'POST', body: { text } }),
  moderation: (page: number) => apiRequest<ModerationPage>('/api/v1/admin/reviews', { query: { page } }),
  hide: (reviewId: string, reason: string) =>
    apiRequest<ModeratedReview>(`/api/v1/admin/reviews/${reviewId}/hide`, {
      method: 'POST',
      body: { reason },
    }),
};

export const stars = (rating: number) => '★'.repeat(rating) + '☆'.repeat(5 - rating);
