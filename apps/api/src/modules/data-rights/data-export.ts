import type { Booking, DataExport } from '@carebook/contracts';
import { notFound } from '../../domain/errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, fromDbTime } from '../../ports/clock';
import type { ProfileService } from '../accounts/profile.service';
import { toUser, type UsersRepository } from '../accounts/users.repository';
import type { AuditRepository, AuditRow } from '../audit/audit.repository';
import { accessLogEntries } from '../audit/audit.routes';
import type { AuditService } from '../audit/audit.service';
import type { Bookings } from '../bookings/booking-shards';
import { feedCalendar } from '../calendar-feeds/feed-ics';
import { windowOf } from '../waitlist/waitlist-views';
import type { BookingDataShards } from './booking-data-shards';
import type { PersonalDataRepository } from './personal-data.repository';

const iso = (s: string) => fromDbTime(s).toISOString();
const isoOrNull = (s: string | null) => (s ? iso(s) : null);

export interface DataRightsDeps {
  users: UsersRepository;
  personal: PersonalDataRepository;
  /** The booking databases' side (bookings, history, idempotency, reviews, archives), every one. */
  bookingData: BookingDataShards;
  bookings: Bookings;
  auditRepo: AuditRepository;
  audit: AuditService;
  clock: Clock;
  publicUrl: string;
  /** The patient profile (phone, date of birth, language), opened for the export. */
  profile: Pick<ProfileService, 'get'>;
}

/** The person as the patient of their own bookings, whatever their role (a provider's own visits). */
export const asPatient = (userId: string): Principal => ({
  userId,
  role: 'patient',
  sessionId: 'data-rights',
  actsForProviderId: null,
  // Only reads and cancellations are done as this principal; neither needs a verified address.
  emailVerified: true,
});

/** Every booking of the person as a patient, live and archived, oldest first. */
export async function allBookingsOf(bookings: Bookings, userId: string): Promise<Booking[]> {
  const out: Booking[] = [];
  for (let page = 1; ; page++) {
    const res = await bookings.list(asPatient(userId), { page, pageSize: 100 });
    out.push(...res.items);
    if (res.items.length < 100 || out.length >= res.total) return out;
  }
}

/**
 * GDPR Art. 15 and 20: everything held about the caller as one JSON document, and their bookings
 * as an iCalendar file. Secrets (password and token hashes, payment client secrets, the calendar
 * feed token) are left out. Each export is audited as `access.data_exported`.
 */
export class DataExporter {
  constructor(private readonly d: DataRightsDeps) {}

  async export(principal: Principal, meta: RequestMeta): Promise<DataExport> {
    const user = await this.d.users.byId(principal.userId);
    if (!user) throw notFound('The account');
    const id = user.id;
    const profile = user.role === 'patient' ? await this.d.profile.get(principal) : null;
    const [sessions, bookings, notifications, reviews, waitlist, series, prefs, sms, feed] =
      await Promise.all([
        this.d.personal.sessions(id),
        allBookingsOf(this.d.bookings, id),
        this.d.personal.notifications(id),
        this.d.bookingData.reviews(id),
        this.d.bookingData.waitlist(id),
        this.d.bookingData.series(id),
        this.d.personal.messagingPreferences(id),
        this.d.personal.sms(id),
        this.d.personal.calendarFeed(id),
      ]);
    await this.audited(principal, 'json', meta);
    const [accessLog, activity] = await Promise.all([
      this.allAudit({ patientId: id }),
      this.allAudit({ actorId: id }),
    ]);
    return {
      format: 'carebook-export/1',
      exportedAt: this.d.clock.now().toISOString(),
      account: toUser(user),
      sessions: sessions.map((s) => ({
        id: s.id,
        createdAt: iso(s.created_at),
        lastUsedAt: iso(s.last_used_at),
        expiresAt: iso(s.expires_at),
        revokedAt: isoOrNull(s.revoked_at),
        revokedReason: s.revoked_reason,
        ip: s.ip,
        userAgent: s.user_agent,
      })),
      bookings: bookings.map((b) => ({ ...b, payment: null })),
      payments: bookings.flatMap((b) =>
        b.payment
          ? [
              {
                bookingId: b.id,
                intentId: b.payment.intentId,
                status: b.payment.status,
                amountCents: b.priceCents,
                currency: b.currency,
              },
            ]
          : [],
      ),
      notifications: notifications.map((n) => ({
        id: n.id,
        bookingId: n.booking_id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        createdAt: iso(n.created_at),
        readAt: isoOrNull(n.read_at),
        emailedAt: isoOrNull(n.emailed_at),
      })),
      reviews: reviews.map((r) => ({
        id: r.id,
        bookingId: r.booking_id,
        providerId: r.provider_id,
        serviceName: r.service_name,
        rating: r.rating,
        text: r.text,
        author: r.author,
        createdAt: iso(r.created_at),
        reply: r.reply_text && r.replied_at ? { text: r.reply_text, at: iso(r.replied_at) } : null,
        hiddenAt: isoOrNull(r.hidden_at),
      })),
      waitlist: waitlist.map(({ entry: e, offers }) => ({
        id: e.id,
        providerId: e.provider_id,
        serviceId: e.service_id,
        window: windowOf(e),
        earlierThanBookingId: e.earlier_than_booking_id,
        status: e.status,
        createdAt: iso(e.created_at),
        updatedAt: iso(e.updated_at),
        offers: offers.map((o) => ({
          id: o.id,
          bookingId: o.booking_id,
          start: iso(o.slot_start),
          expiresAt: iso(o.expires_at),
          status: o.status,
          createdAt: iso(o.created_at),
        })),
      })),
      series: series.map(({ row, bookingIds }) => ({
        id: row.id,
        providerId: row.provider_id,
        serviceId: row.service_id,
        timeZone: row.time_zone,
        localStart: row.local_start,
        intervalWeeks: row.interval_weeks,
        occurrences: row.occurrences,
        createdAt: iso(row.created_at),
        bookingIds,
      })),
      profile,
      messaging: {
        preferences: prefs
          ? {
              phone: prefs.phone,
              reminderChannels: prefs.reminder_channels
                .split(',')
                .filter((c): c is 'email' | 'sms' => c === 'email' || c === 'sms'),
              smsConsent:
                prefs.sms_consent_at && prefs.sms_consent_text
                  ? { at: iso(prefs.sms_consent_at), text: prefs.sms_consent_text }
                  : null,
              smsOptedOutAt: isoOrNull(prefs.sms_opted_out_at),
            }
          : null,
        sms: sms.map((m) => ({
          id: m.id,
          bookingId: m.booking_id,
          toPhone: m.to_phone,
          body: m.body,
          status: m.status,
          createdAt: iso(m.created_at),
        })),
      },
      calendarFeed: feed ? { createdAt: iso(feed.created_at) } : null,
      accessLog: await accessLogEntries(this.d.auditRepo, accessLog),
      accountActivity: activity.map((row) => ({
        at: iso(row.at),
        action: row.action,
        ip: row.ip,
        userAgent: row.user_agent,
      })),
    };
  }

  /** The caller's bookings as an RFC 5545 calendar (the calendar feed's generator). */
  async calendar(principal: Principal, meta: RequestMeta): Promise<string> {
    const bookings = await allBookingsOf(this.d.bookings, principal.userId);
    await this.audited(principal, 'ics', meta);
    return feedCalendar(bookings, {
      audience: 'patient',
      name: 'Carebook appointments (export)',
      now: this.d.clock.now(),
      bookingUrl: (id) => new URL(`/bookings/${id}`, this.d.publicUrl).toString(),
    });
  }

  private async audited(principal: Principal, format: 'json' | 'ics', meta: RequestMeta): Promise<void> {
    await this.d.audit.record(
      {
        action: 'access.data_exported',
        actor: principal,
        target: { type: 'user', id: principal.userId },
        patientId: principal.userId,
        purpose: 'patient_request',
        details: { format },
      },
      meta,
    );
  }

  private async allAudit(filter: { patientId: string } | { actorId: string }): Promise<AuditRow[]> {
    const out: AuditRow[] = [];
    for (let page = 1; ; page++) {
      const { rows, total } = await this.d.auditRepo.page(filter, page, 500);
      out.push(...rows);
      if (rows.length < 500 || out.length >= total) return out;
    }
  }
}
