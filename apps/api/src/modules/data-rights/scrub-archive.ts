import type { ArchivedBooking, BookingArchive } from '../../ports/archive';
import { toDbTime } from '../../ports/clock';

/**
 * Rewrites a patient's archived bookings without what they wrote (the reason for visit, their
 * reasons in the history), as a newer copy (later `updated_at`, higher version) so the archive's
 * "newer replaces older" rule applies on every adapter (SQL, DynamoDB). The facts stay.
 */
export async function scrubArchive(archive: BookingArchive, patientId: string, now: Date): Promise<number> {
  const at = toDbTime(now);
  let after: { start: string; id: string } | undefined;
  let scrubbed = 0;
  for (;;) {
    const page = await archive.list({ patientId }, { order: 'asc', limit: 100, ...(after ? { after } : {}) });
    const changed = page.filter(needsScrub).map((r) => scrubbedCopy(r, patientId, at));
    if (changed.length > 0) await archive.put(changed);
    scrubbed += changed.length;
    const last = page.at(-1);
    if (!last || page.length < 100) return scrubbed;
    after = { start: last.booking.start_at, id: last.booking.id };
  }
}

const needsScrub = (r: ArchivedBooking) =>
  r.booking.reason_for_visit !== '' ||
  r.history.some((h) => h.actor_id === r.booking.patient_id && h.reason !== null);

function scrubbedCopy(r: ArchivedBooking, patientId: string, at: string): ArchivedBooking {
  return {
    booking: {
      ...r.booking,
      reason_for_visit: '',
      updated_at: at > r.booking.updated_at ? at : r.booking.updated_at,
      version: r.booking.version + 1,
    },
    history: r.history.map((h) => (h.actor_id === patientId ? { ...h, reason: null } : h)),
  };
}
