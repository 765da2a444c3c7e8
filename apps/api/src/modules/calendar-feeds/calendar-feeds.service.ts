import { randomBytes } from 'node:crypto';
import type { Booking, CalendarFeed } from '@carebook/contracts';
import { forbidden, notFound } from '../../domain/errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { UsersRepository } from '../accounts/users.repository';
import type { Paged } from '../admin/admin.service';
import type { AuditService } from '../audit/audit.service';
import type { BookingListRequest } from '../bookings/booking-queries';
import type { CalendarFeedsRepository } from './calendar-feeds.repository';
import { feedCalendar, feedEtag } from './feed-ics';
import { FeedReadLog } from './feed-read-log';

export interface RenderedFeed {
  etag: string;
  /** null: the caller already has this version (answer 304). */
  ics: string | null;
}

const DAY = 86_400_000;
/** Past bookings stay in the feed this long; future ones always. */
export const FEED_PAST_DAYS = 90;

/**
 * Private, revocable calendar feeds: a secret URL per user serving their bookings as RFC 5545.
 * The feed is rendered from the booking database on every request, so it follows every change.
 * Calendar apps poll it and a few seconds of lag do not matter: its bookings are read like
 * history, from a booking replica when there is one (`mayLag`; a request carrying the client's
 * consistency token still reads its own writes). The token and the account are read from the
 * primary, so a rotated or revoked link, or a suspended account, stops at once and a new link
 * works at once (docs/scaling.md, "Read replicas").
 */
export class CalendarFeedsService {
  constructor(
    private readonly d: {
      repo: CalendarFeedsRepository;
      users: UsersRepository;
      /** The bookings list (the same visibility as `GET /api/v1/bookings`). */
      bookings: { list(principal: Principal, query: BookingListRequest): Promise<Paged<Booking>> };
      audit: AuditService;
      clock: Clock;
      publicUrl: string;
    },
  ) {}

  private readonly reads = new FeedReadLog();

  async get(principal: Principal): Promise<CalendarFeed | null> {
    this.assertMayHave(principal);
    const row = await this.d.repo.ofUser(principal.userId);
    return row ? this.view(row.token, row.created_at) : null;
  }

  /** Creates the feed, or replaces its token: the previous URL stops working at once. */
  async rotate(principal: Principal, meta: RequestMeta): Promise<CalendarFeed> {
    this.assertMayHave(principal);
    const token = randomBytes(32).toString('base64url');
    const at = toDbTime(this.d.clock.now());
    await this.d.repo.replace(principal.userId, token, at);
    await this.d.audit.record(
      { action: 'calendar_feed.rotated', actor: principal, target: { type: 'user', id: principal.userId } },
      meta,
    );
    return this.view(token, at);
  }

  async revoke(principal: Principal, meta: RequestMeta): Promise<void> {
    this.assertMayHave(principal);
    if (!(await this.d.repo.remove(principal.userId))) throw notFound('The calendar feed');
    await this.d.audit.record(
      {
        action: 'calendar_feed.rotated',
        actor: principal,
        target: { type: 'user', id: principal.userId },
        details: { revoked: true },
      },
      meta,
    );
  }

  /**
   * The VCALENDAR behind a token; NOT_FOUND for an unknown (rotated, revoked) token or a suspended
   * account. `ics` is null when the caller's `If-None-Match` names the current version: nothing is
   * disclosed then, and nothing is audited.
   */
  async render(token: string, meta: RequestMeta, ifNoneMatch?: string): Promise<RenderedFeed> {
    const feed = await this.d.repo.byToken(token);
    const user = feed ? await this.d.users.byId(feed.user_id) : undefined;
    if (!feed || !user || user.status !== 'active' || user.role === 'admin')
      throw notFound('The calendar feed');
    const principal: Principal = {
      userId: user.id,
      role: user.role,
      sessionId: 'calendar-feed',
      actsForProviderId: user.role === 'provider' ? user.id : user.role === 'staff' ? user.provider_id : null,
      emailVerified: user.email_verified_at !== null,
    };
    const now = this.d.clock.now();
    const since = new Date(now.getTime() - FEED_PAST_DAYS * DAY).toISOString();
    const bookings = (await this.all(principal)).filter((b) => b.end >= since);
    const name = user.role === 'patient' ? 'Carebook appointments' : `Carebook – ${user.display_name}`;
    const etag = feedEtag(name, bookings);
    if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
      return { etag, ics: null };
    if (this.reads.shouldRecord(token, etag, meta.ip, now.getTime()))
      await this.d.audit.record(
        {
          action: 'calendar_feed.read',
          actor: { userId: user.id, role: user.role },
          target: { type: 'user', id: user.id },
          details: { bookings: bookings.length },
        },
        meta,
      );
    const ics = feedCalendar(bookings, {
      audience: user.role === 'patient' ? 'patient' : 'practice',
      name,
      now,
      bookingUrl: (id) => new URL(`/bookings/${id}`, this.d.publicUrl).toString(),
    });
    return { etag, ics };
  }

  private async all(principal: Principal): Promise<Booking[]> {
    const out: Booking[] = [];
    for (let page = 1; ; page++) {
      const res = await this.d.bookings.list(principal, { page, pageSize: 100, mayLag: true });
      out.push(...res.items);
      if (res.items.length < 100 || out.length >= res.total) return out;
    }
  }

  private view(token: string, createdAt: string): CalendarFeed {
    const url = new URL(`/api/v1/calendar/${token}.ics`, this.d.publicUrl).toString();
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), createdAt };
  }

  private assertMayHave(principal: Principal): void {
    if (principal.role === 'admin') throw forbidden('Calendar feeds are for patients, providers and staff.');
  }
}
