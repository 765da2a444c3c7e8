import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import type { BookingArchive } from '../../ports/archive';
import type { Cache } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import type { PaymentsPort } from '../../ports/payments';
import type { FailureLog } from '../payments/payment-failures';
import type { PrivacyService } from '../privacy/privacy.service';
import type { ProvidersService } from '../providers/providers.service';
import type { BookingsRepository } from './bookings.repository';
import type { IdempotencyRepository } from './idempotency.repository';
import type { PaymentStartsRepository } from './payment-starts.repository';

/** What the booking service is built from (container.ts). */
export interface BookingsServiceDeps {
  db: Kysely<BookingDatabase>;
  repo: BookingsRepository;
  providers: ProvidersService;
  payments: PaymentsPort;
  clock: Clock;
  cache: Cache;
  /** Seals the PHI and payment secrets the booking module stores, with the patient's data key. */
  privacy: PrivacyService;
  holdMinutes: number;
  /** Finished bookings the archival job moved out; read back by get and list. */
  archive?: BookingArchive;
  /**
   * Past-booking lists (history) and lists that tolerate lag (`mayLag`: calendar feeds) on a read
   * replica (db/replication): the same repository and archive over the routed read handle; a
   * client's own writes are read back by its token.
   */
  history?: { repo: BookingsRepository; archive?: BookingArchive };
  /** After every commit that changed bookings: invalidate caches, nudge the outbox relay. */
  changed: (bookingIds: string[]) => Promise<void>;
  /**
   * How long one caller may spend creating a booking's payment intent before another instance
   * may take over (payment-start.ts). Longer than the payment adapter's own timeout and retries.
   * Default 75 s.
   */
  paymentLeaseMs?: number;
  /** Failures on the money paths are logged here (and counted, payments/payment-failures.ts). */
  log?: FailureLog;
  idempotency?: IdempotencyRepository;
  paymentStarts?: PaymentStartsRepository;
}

/** The deps with every default filled in, shared by the parts of the booking service. */
export type BookingsContext = Required<Omit<BookingsServiceDeps, 'archive' | 'log' | 'history'>> &
  Pick<BookingsServiceDeps, 'archive' | 'log' | 'history'>;
