import type { PrivacyService } from '../privacy/privacy.service';
import type { StoredBooking } from './booking-mapper';

export type FieldSealer = Pick<PrivacyService, 'sealIfPlain'>;

/**
 * A stored booking with every PHI field sealed with its patient's data key: reason for visit,
 * payment client secret and history reasons. Sealed values stay as they are, so this only
 * changes rows written before encryption (legacy plaintext); used before archiving a booking.
 */
export async function sealStoredBooking(privacy: FieldSealer, stored: StoredBooking): Promise<StoredBooking> {
  const patient = stored.row.patient_id;
  const [reason, secret, ...history] = await Promise.all([
    privacy.sealIfPlain(patient, stored.row.reason_for_visit),
    privacy.sealIfPlain(patient, stored.row.payment_client_secret),
    ...stored.history.map((h) => privacy.sealIfPlain(patient, h.reason)),
  ]);
  return {
    row: { ...stored.row, reason_for_visit: reason ?? '', payment_client_secret: secret ?? null },
    history: stored.history.map((h, i) => ({ ...h, reason: history[i] ?? null })),
  };
}
