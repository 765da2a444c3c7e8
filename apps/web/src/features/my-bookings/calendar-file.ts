import type { Booking } from '@carebook/contracts';
import { apiBlob } from '../../api/client';

/**
 * Saves the booking's calendar file. The API generates it (GET /api/v1/bookings/{id}/ics), with the
 * same event UID and SEQUENCE as the e-mailed invitations, so importing it updates that event.
 */
export async function downloadCalendarFile(b: Booking): Promise<void> {
  const blob = await apiBlob(`/api/v1/bookings/${b.id}/ics`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `carebook-${b.start.slice(0, 10)}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
