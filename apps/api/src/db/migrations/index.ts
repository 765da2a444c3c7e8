import type { Migration } from 'kysely';
import { bookings } from './bookings/20261124T2200-bookings';
import { simulatedPayments } from './bookings/20261124T2230-simulated-payments';
import { bookingArchive } from './bookings/20261125T0100-booking-archive';
import { jobLeases } from './bookings/20261125T0200-job-leases';
import { paymentStarts } from './bookings/20261206T1300-payment-starts';
import { bookingsOutboxTraceparent } from './bookings/20261206T1500-outbox-traceparent';
import { reviews } from './bookings/20261206T2010-reviews';
import { sealedBookingFields } from './bookings/20261207T0100-sealed-fields';
import { partitionedHistory } from './bookings/20261207T0600-partitioned-history';
import { bookingSeries } from './bookings/20261207T0901-booking-series';
import { waitlist } from './bookings/20261207T1000-waitlist';
import { movedProviders } from './bookings/20261208T0101-moved-providers';
import { movedBuckets } from './bookings/20261209T0400-moved-buckets';
import { identity } from './inventory/20261124T2000-identity';
import { listings } from './inventory/20261124T2100-listings';
import { notifications } from './inventory/20261124T2240-notifications';
import { inventoryOutboxMarks } from './inventory/20261206T1301-outbox-marks';
import { calendarFeeds } from './inventory/20261206T1400-calendar-feeds';
import { inventoryOutboxTraceparent } from './inventory/20261206T1500-outbox-traceparent';
import { privacyKeys } from './inventory/20261206T1800-privacy-keys';
import { auditChain } from './inventory/20261206T1810-audit-chain';
import { listingPhone } from './inventory/20261206T1900-listing-phone';
import { messaging } from './inventory/20261206T2000-messaging';
import { sealedNotifications } from './inventory/20261207T0101-sealed-notifications';
import { userErasure } from './inventory/20261207T0200-user-erasure';
import { accountTokens } from './inventory/20261207T0300-account-tokens';
import { patientProfiles } from './inventory/20261207T0310-patient-profiles';
import { staffInvitations } from './inventory/20261207T0320-staff-invitations';
import { listingRecurring } from './inventory/20261207T0900-listing-recurring';
import { bookingBuckets } from './inventory/20261208T0100-booking-buckets';
import { sealedSmsPhone } from './inventory/20261208T0200-sealed-sms-phone';
import { notificationMailClaims } from './inventory/20261208T0300-notification-mail-claims';

/**
 * One migration set per logical database. Names are timestamps and never change once landed;
 * a change to the schema is always a new migration.
 */
export const migrationSets = {
  inventory: {
    '20261124T2000-identity': identity,
    '20261124T2100-listings': listings,
    '20261124T2240-notifications': notifications,
    '20261206T1301-outbox-marks': inventoryOutboxMarks,
    '20261206T1400-calendar-feeds': calendarFeeds,
    '20261206T1500-outbox-traceparent': inventoryOutboxTraceparent,
    '20261206T1800-privacy-keys': privacyKeys,
    '20261206T1810-audit-chain': auditChain,
    '20261206T1900-listing-phone': listingPhone,
    '20261206T2000-messaging': messaging,
    '20261207T0101-sealed-notifications': sealedNotifications,
    '20261207T0200-user-erasure': userErasure,
    '20261207T0300-account-tokens': accountTokens,
    '20261207T0310-patient-profiles': patientProfiles,
    '20261207T0320-staff-invitations': staffInvitations,
    '20261207T0900-listing-recurring': listingRecurring,
    '20261208T0100-booking-buckets': bookingBuckets,
    '20261208T0200-sealed-sms-phone': sealedSmsPhone,
    '20261208T0300-notification-mail-claims': notificationMailClaims,
  } as Record<string, Migration>,
  bookings: {
    '20261124T2200-bookings': bookings,
    '20261124T2230-simulated-payments': simulatedPayments,
    '20261125T0100-booking-archive': bookingArchive,
    '20261125T0200-job-leases': jobLeases,
    '20261206T1300-payment-starts': paymentStarts,
    '20261206T1500-outbox-traceparent': bookingsOutboxTraceparent,
    '20261206T2010-reviews': reviews,
    '20261207T0100-sealed-fields': sealedBookingFields,
    '20261207T0600-partitioned-history': partitionedHistory,
    '20261207T0901-booking-series': bookingSeries,
    '20261207T1000-waitlist': waitlist,
    '20261208T0101-moved-providers': movedProviders,
    '20261209T0400-moved-buckets': movedBuckets,
  } as Record<string, Migration>,
} as const;

export type MigrationSetName = keyof typeof migrationSets;
