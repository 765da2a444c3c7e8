import type { ModeratedReview, ModerationPage, Review, ReviewCreate, ReviewPage } from '@carebook/contracts';
import { idInBucketOf } from '../../db/shards/buckets';
import { DomainError, forbidden, notFound } from '../../domain/errors';
import { isUniqueViolation } from '../../lib/db-errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { UsersRepository } from '../accounts/users.repository';
import type { AuditService } from '../audit/audit.service';
import { averageRating, reviewAuthor, reviewWindowOpen } from './domain/review-rules';
import type { ReviewShards } from './review-shards';
import type { ReviewRow, ReviewsRepository } from './reviews.repository';

const iso = (s: string) => fromDbTime(s).toISOString();

const toReview = (r: ReviewRow): Review => ({
  id: r.id,
  providerId: r.provider_id,
  serviceName: r.service_name,
  rating: Number(r.rating),
  text: r.text,
  author: r.author,
  createdAt: iso(r.created_at),
  reply: r.reply_text && r.replied_at ? { text: r.reply_text, at: iso(r.replied_at) } : null,
});

const toModerated = (r: ReviewRow): ModeratedReview => ({
  ...toReview(r),
  bookingId: r.booking_id,
  hidden: r.hidden_at && r.hidden_reason ? { at: iso(r.hidden_at), reason: r.hidden_reason } : null,
});

/**
 * Verified reviews: only the patient of a completed booking, once per booking, within
 * `windowDays` of completion; the practice (owner or staff) replies once; admins hide with a
 * reason (audited). Public reads show visible reviews and their average. A review lives on its
 * booking's database (`ReviewShards`); its id carries its listing's bucket, as a booking's does.
 */
export class ReviewsService {
  constructor(
    private readonly d: {
      reviews: ReviewShards;
      users: UsersRepository;
      audit: AuditService;
      clock: Clock;
      windowDays: number;
    },
  ) {}

  create(p: Principal, bookingId: string, input: ReviewCreate): Promise<Review> {
    return this.d.reviews.ofBooking(bookingId, (repo) => this.createOn(repo, p, bookingId, input));
  }

  private async createOn(
    repo: ReviewsRepository,
    p: Principal,
    bookingId: string,
    input: ReviewCreate,
  ): Promise<Review> {
    const booking = await repo.booking(bookingId);
    // Someone else's booking is "not found", never a hint that it exists.
    if (!booking || booking.patient_id !== p.userId) throw notFound('The booking');
    if (booking.status !== 'completed')
      throw new DomainError('REVIEW_NOT_ALLOWED', 'Only a completed visit can be reviewed.');
    const now = this.d.clock.now();
    const completedAt = fromDbTime((await repo.completedAt(bookingId)) ?? booking.end_at);
    if (!reviewWindowOpen(completedAt, now, this.d.windowDays))
      throw new DomainError(
        'REVIEW_WINDOW_CLOSED',
        `Visits can be reviewed for ${this.d.windowDays} days after they took place.`,
      );
    const user = await this.d.users.byId(p.userId);
    const row: ReviewRow = {
      id: idInBucketOf(booking.provider_id),
      booking_id: booking.id,
      provider_id: booking.provider_id,
      owner_id: booking.owner_id,
      patient_id: p.userId,
      service_name: booking.service_name,
      rating: input.rating,
      text: input.text.trim(),
      author: reviewAuthor(user?.display_name ?? '', input.showFullName ?? false),
      created_at: toDbTime(now),
      reply_text: null,
      reply_by: null,
      replied_at: null,
      hidden_at: null,
      hidden_reason: null,
      hidden_by: null,
    };
    try {
      await repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('REVIEW_EXISTS', 'You have already reviewed this visit.');
      throw err;
    }
    return toReview(row);
  }

  /** The patient's own review of their booking (hidden ones included: it is theirs). */
  async mine(p: Principal, bookingId: string): Promise<Review> {
    const row = await this.d.reviews.ofBooking(bookingId, (repo) => repo.byBooking(bookingId));
    if (!row || row.patient_id !== p.userId) throw notFound('The review');
    return toReview(row);
  }

  reply(p: Principal, reviewId: string, text: string): Promise<Review> {
    return this.d.reviews.ofReview(reviewId, (repo) => this.replyOn(repo, p, reviewId, text));
  }

  private async replyOn(repo: ReviewsRepository, p: Principal, reviewId: string, text: string) {
    const row = await repo.byId(reviewId);
    if (!row || row.hidden_at) throw notFound('The review');
    const mayReply = (p.role === 'provider' || p.role === 'staff') && p.actsForProviderId === row.owner_id;
    if (!mayReply) throw forbidden('Only the practice that was reviewed can reply.');
    const at = toDbTime(this.d.clock.now());
    if (!(await repo.reply(row, text.trim(), p.userId, at)))
      throw new DomainError('CONFLICT', 'The practice has already replied to this review.');
    return toReview({ ...row, reply_text: text.trim(), reply_by: p.userId, replied_at: at });
  }

  async hide(p: Principal, meta: RequestMeta, reviewId: string, reason: string): Promise<ModeratedReview> {
    if (p.role !== 'admin') throw forbidden();
    const at = toDbTime(this.d.clock.now());
    const row = await this.d.reviews.ofReview(reviewId, async (repo) => {
      const found = await repo.byId(reviewId);
      if (!found) throw notFound('The review');
      if (!(await repo.hide(found, reason, p.userId, at)))
        throw new DomainError('CONFLICT', 'This review is already hidden.');
      return found;
    });
    await this.d.audit.record(
      {
        action: 'admin.review_hidden',
        actor: p,
        target: { type: 'review', id: reviewId },
        details: { reason, providerId: row.provider_id },
      },
      meta,
    );
    return toModerated({ ...row, hidden_at: at, hidden_reason: reason, hidden_by: p.userId });
  }

  async forListing(providerId: string, page: number, pageSize: number): Promise<ReviewPage> {
    const { items, count, sum } = await this.d.reviews.ofListing(providerId, (repo) =>
      repo.visibleForProvider(providerId, page, pageSize),
    );
    return {
      summary: { average: averageRating(sum, count), count },
      items: items.map(toReview),
      page,
      pageSize,
      total: count,
    };
  }

  async moderation(p: Principal, page: number, pageSize: number): Promise<ModerationPage> {
    if (p.role !== 'admin') throw forbidden();
    const { items, total } = await this.d.reviews.all(page, pageSize);
    return { items: items.map(toModerated), page, pageSize, total };
  }
}
