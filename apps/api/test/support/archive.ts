import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { DynamoDbBookingArchive } from '../../src/adapters/archive/dynamodb';
import type { ArchivedBooking } from '../../src/ports/archive';

/** A finished booking record as the archival job would write it; fields overridable. */
export function archivedRecord(
  overrides: Partial<ArchivedBooking['booking']> = {},
  historyCount = 3,
): ArchivedBooking {
  const id = overrides.id ?? randomUUID();
  const start = overrides.start_at ?? '2026-01-10T09:00:00.000Z';
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  const booking: ArchivedBooking['booking'] = {
    id,
    patient_id: randomUUID(),
    provider_id: randomUUID(),
    owner_id: randomUUID(),
    service_id: randomUUID(),
    provider_name: 'Dr. Ana Ferreira — “Zahnarzt” 東京',
    service_name: 'Check-up',
    time_zone: 'Europe/Lisbon',
    start_at: start,
    end_at: end,
    block_start_at: start,
    block_end_at: end,
    status: 'completed',
    price_cents: 4500,
    currency: 'EUR',
    reason_for_visit: 'Tooth ache\nsince Tuesday',
    new_patient: 1,
    cancellation_window_hours: 24,
    hold_expires_at: null,
    payment_intent_id: 'pi_123',
    payment_client_secret: 'pi_123_secret',
    payment_checkout_url: null,
    payment_status: 'succeeded',
    refunded_cents: 0,
    rescheduled_from: null,
    rescheduled_to: null,
    reminder_sent_at: null,
    version: 4,
    created_at: '2026-01-01T08:00:00.000Z',
    updated_at: end,
    ...overrides,
  };
  const history = Array.from({ length: historyCount }, (_, i) => ({
    id: randomUUID(),
    booking_id: id,
    at: new Date(Date.parse(booking.created_at) + i * 60_000).toISOString(),
    from_status: i === 0 ? null : 'confirmed',
    to_status: i === 0 ? 'pending' : 'completed',
    actor_role: i === 0 ? 'patient' : 'system',
    actor_id: i === 0 ? booking.patient_id : null,
    reason: i === 2 ? 'Finished “early”' : null,
  }));
  return { booking, history };
}

/** dynalite (in memory) on a free port of 127.0.0.1, for the duration of a test file. */
export async function startDynalite(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A new, empty DynamoDB archive table on the given dynalite endpoint. */
export async function dynamoTestArchive(endpoint: string): Promise<DynamoDbBookingArchive> {
  const archive = new DynamoDbBookingArchive({
    table: `archive-${randomUUID()}`,
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
  });
  await archive.ensureTable();
  return archive;
}
