import { randomUUID } from 'node:crypto';
import type { Booking, ErasureReport } from '@carebook/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import { appendToOutbox } from '../../lib/outbox';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { toDbTime } from '../../ports/clock';
import type { UserRow } from '../accounts/users.repository';
import type { PasswordHasher } from '../auth/passwords';
import { assertCan } from '../auth/permissions';
import type { PrivacyService } from '../privacy/privacy.service';
import type { ProvidersRepository } from '../providers/providers.repository';
import { allBookingsOf, asPatient, type DataRightsDeps } from './data-export';
import { accountRefusal, blockingBookings, type ErasureRequester, isActive } from './domain/erasure-policy';

export interface ErasureDeps extends DataRightsDeps {
  db: Kysely<InventoryDatabase>;
  privacy: PrivacyService;
  hasher: PasswordHasher;
  providersRepo: ProvidersRepository;
  /** Drops this instance's cached copies of the bookings and nudges their relay (container's `bookingsChanged`). */
  bookingsChanged: (ids: string[]) => Promise<void>;
  /** Nudges the inventory outbox relay (the `privacy.forget` event). */
  nudge: () => void;
  log: Pick<FastifyBaseLogger, 'info'>;
}

const CANCEL_REASON = "Cancelled because the patient's account was erased";

/** A placeholder no one can reverse: random, not derived from the address (which can register again). */
const placeholderEmail = () => `erased-${randomUUID()}@erased.invalid`;

/**
 * GDPR Art. 17 (docs/security.md, "Erasure"). In order, so that a failure part-way leaves nothing
 * of the person readable that the next run (by an admin) would not remove, and the cancellations
 * never notify under the real name:
 * 1. account pseudonymised, sessions and refresh tokens deleted, contact data, SMS consent,
 *    calendar feed, their notifications and copies of mail to their address deleted,
 *    `access.data_erased` audited (one transaction);
 * 2. active bookings cancelled through the booking commands (refunds through payments);
 * 3. what they wrote removed from bookings, history, idempotency records, reviews and the archive,
 *    on every booking database (a database being moved is passed again: BookingDataShards.scrub);
 * 4. everyone's notifications and mail copies about their bookings deleted, `privacy.forget`
 *    written to the outbox so every instance drops what it holds in memory;
 * 5. their data key destroyed (crypto-shredding), caches of their bookings purged.
 */
export class DataEraser {
  constructor(private readonly d: ErasureDeps) {}

  /** `DELETE /me`: the password again, so a stolen access token alone cannot erase an account. */
  async eraseSelf(principal: Principal, password: string, meta: RequestMeta): Promise<ErasureReport> {
    assertCan(principal.role, 'account.erase');
    const user = await this.d.users.byId(principal.userId);
    if (!user || user.erased_at) throw notFound('The account');
    if (!(await this.d.hasher.verify(user.password_hash, password)))
      throw new DomainError('VALIDATION_FAILED', 'The password is not correct.', {
        errors: [{ path: '/body/password', message: 'is not correct' }],
      });
    return this.erase(user, principal, 'self', meta);
  }

  /** `DELETE /admin/users/{id}/data`: also finishes an erasure that stopped part-way (idempotent). */
  async eraseByAdmin(admin: Principal, userId: string, meta: RequestMeta): Promise<ErasureReport> {
    assertCan(admin.role, 'admin.users.erase');
    const user = await this.d.users.byId(userId);
    if (!user) throw notFound('The user');
    return this.erase(user, admin, 'admin', meta);
  }

  private async erase(
    user: UserRow,
    actor: Principal,
    by: ErasureRequester,
    meta: RequestMeta,
  ): Promise<ErasureReport> {
    const owns = await this.d.providersRepo.page({ ownerId: user.id }, 1, 1);
    const refusal = accountRefusal({ role: user.role, ownsListings: owns.total > 0 });
    if (refusal) throw new DomainError('ERASURE_BLOCKED', refusal);
    const bookings = await allBookingsOf(this.d.bookings, user.id);
    const blockers = blockingBookings(bookings, by);
    if (blockers.length > 0) throw blocked(blockers);

    const now = this.d.clock.now();
    const at = toDbTime(now);
    const bookingIds = [
      ...new Set([...bookings.map((b) => b.id), ...(await this.d.bookingData.liveBookingIds(user.id))]),
    ];
    const purpose = by === 'self' ? 'patient_request' : 'administration';
    await this.d.db.transaction().execute(async (trx) => {
      if (!user.erased_at) await this.d.users.pseudonymise(user.id, placeholderEmail(), at, trx);
      await this.d.personal.deleteSessions(user.id, trx);
      await this.d.personal.deleteContactData(user.id, trx);
      await this.d.personal.deleteNotifications(user.id, [], trx);
      // Copies of mail to their address go now, while the address is known: an erasure stopped
      // after this step is finished by a run that only knows the placeholder.
      await this.d.personal.deleteMailCopies(user.email, [], trx);
      await this.d.audit.record(
        {
          action: 'access.data_erased',
          actor,
          target: { type: 'user', id: user.id },
          patientId: user.id,
          purpose,
          details: { by, bookings: bookingIds.length },
        },
        meta,
        trx,
      );
    });

    const canceller = by === 'self' ? asPatient(user.id) : actor;
    let cancelled = 0;
    for (const b of bookings.filter(isActive)) {
      try {
        await this.d.bookings.act(canceller, b.id, { type: 'cancel', reason: CANCEL_REASON });
        cancelled++;
      } catch (err) {
        // Expired or cancelled meanwhile: nothing left to cancel.
        if (!(err instanceof DomainError && err.code === 'INVALID_TRANSITION')) throw err;
      }
    }

    await this.d.bookingData.scrub(user.id, now);
    const eventIds = await this.d.bookingData.eventIds(bookingIds);
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.personal.deleteNotifications(user.id, bookingIds, trx);
      await this.d.personal.deleteMailCopies(user.email, eventIds, trx);
      await appendToOutbox(trx, {
        type: 'privacy.forget',
        aggregateType: 'user',
        aggregateId: user.id,
        occurredAt: at,
        payload: { userId: user.id, bookingIds },
      });
    });
    // Last: the cancellations above still had to read the bookings sealed with it.
    await this.d.privacy.destroyPatientKey(user.id);
    await this.d.bookingsChanged(bookingIds);
    this.d.nudge();
    this.d.log.info({ userId: user.id, by, bookings: bookingIds.length, cancelled }, 'account erased');
    return {
      userId: user.id,
      erasedAt: now.toISOString(),
      bookingsCancelled: cancelled,
      bookingsKept: bookingIds.length,
    };
  }
}

function blocked(bookings: Booking[]): DomainError {
  return new DomainError(
    'ERASURE_BLOCKED',
    'Some bookings cannot be cancelled online any more: a visit in progress, or one past its cancellation deadline. Contact the practice, or erase the account after the visit.',
    {
      errors: bookings.map((b) => ({
        path: `/bookings/${b.id}`,
        message: `${b.status}, ${b.serviceName} with ${b.providerName} at ${b.start}`,
      })),
    },
  );
}
