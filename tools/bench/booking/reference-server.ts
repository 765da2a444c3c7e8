/**
 * The reference booking server of `npm run bench -- booking`: the least work any correct
 * implementation of Carebook's booking design must do per request, measured in the same run and on
 * the same database handles as Carebook.
 *
 * One Fastify route, `POST /api/v1/bookings`, that
 *   1. verifies the bearer JWT with Carebook's own verifier (AccessTokens: its key ring, HS256,
 *      issuer, audience and expiry);
 *   2. validates the body against the same TypeBox schema (`CreateBookingBody` from the contracts)
 *      with Carebook's own Ajv settings;
 *   3. reads the listing row with the requested service (one query) and checks the start against
 *      the listing's hours for that day with the pure availability function Carebook uses;
 *   4. in ONE transaction inserts the booking row (confirmed: the service is free), its claim rows
 *      (the primary key refuses a double booking: 409) and one outbox row.
 * It does not look up the session, keep idempotency keys, write history, notify anybody or push
 * to WebSockets: that is the work Carebook's ratio is measured against. Its outbox row is written
 * already marked published (same insert, same cost), so Carebook's relay, which shares the table,
 * does not hand the reference's bookings to Carebook's consumers.
 */
import { CreateBookingBody } from '@carebook/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../../apps/api/src/db/schema';
import { validatorCompiler } from '../../../apps/api/src/http/validation';
import { isUniqueViolation } from '../../../apps/api/src/lib/db-errors';
import { newId } from '../../../apps/api/src/lib/ids';
import { AccessTokens } from '../../../apps/api/src/modules/auth/access-tokens';
import type { JwtKey } from '../../../apps/api/src/modules/auth/jwt-keys';
import { computeSlots } from '../../../apps/api/src/modules/availability/domain';

const UNIT_MS = 5 * 60_000;
const MINUTE = 60_000;

export interface ReferenceOptions {
  inventory: Kysely<InventoryDatabase>;
  bookings: Kysely<BookingDatabase>;
  jwt: { keys: JwtKey[]; issuer: string; audience: string };
}

const problem = (status: number, code: string) => ({ status, code });

export function referenceServer(o: ReferenceOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  // Carebook's own verifier: HS256 only, key by kid, issuer, audience, expiry. (Carebook also
  // looks the session up, for revocation; the reference does not.)
  const tokens = new AccessTokens(o.jwt.keys, o.jwt.issuer, o.jwt.audience, 900);

  app.post('/api/v1/bookings', { schema: { body: CreateBookingBody } }, async (request, reply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    const claims = tokens.verify(token, new Date());
    if (claims?.role !== 'patient') return reply.code(401).send(problem(401, 'INVALID_TOKEN'));
    const patientId = claims.userId;

    const body = request.body as CreateBookingBody;
    const listing = await o.inventory
      .selectFrom('providers')
      .innerJoin('provider_services', 'provider_services.provider_id', 'providers.id')
      .select([
        'providers.id',
        'providers.owner_id',
        'providers.name',
        'providers.time_zone',
        'providers.schedule',
        'providers.accepting_new_patients',
        'providers.status',
        'provider_services.id as service_id',
        'provider_services.name as service_name',
        'provider_services.duration_minutes',
        'provider_services.price_cents',
        'provider_services.currency',
        'provider_services.visit_type',
        'provider_services.buffer_before_minutes',
        'provider_services.buffer_after_minutes',
        'provider_services.active',
      ])
      .where('providers.id', '=', body.providerId)
      .where('provider_services.id', '=', body.serviceId)
      .executeTakeFirst();
    if (listing?.status !== 'published' || !listing.active)
      return reply.code(404).send(problem(404, 'NOT_FOUND'));
    if (body.newPatient && !listing.accepting_new_patients)
      return reply.code(409).send(problem(409, 'NOT_BOOKABLE'));

    const now = Date.now();
    const start = Date.parse(body.start);
    const { cancellationWindowHours, ...schedule } = JSON.parse(listing.schedule);
    const service = {
      durationMinutes: listing.duration_minutes,
      bufferBeforeMinutes: listing.buffer_before_minutes,
      bufferAfterMinutes: listing.buffer_after_minutes,
    };
    const offered = computeSlots({
      schedule: { ...schedule, timeZone: listing.time_zone },
      service,
      busy: [],
      now,
      from: start,
      to: start + 1,
    });
    if (offered[0]?.start !== start || start % UNIT_MS !== 0)
      return reply.code(409).send(problem(409, 'NOT_BOOKABLE'));

    const end = start + listing.duration_minutes * MINUTE;
    const blockStart = start - listing.buffer_before_minutes * MINUTE;
    const blockEnd = end + listing.buffer_after_minutes * MINUTE;
    const at = new Date(now).toISOString();
    const id = newId();
    const units: number[] = [];
    for (let u = Math.floor(blockStart / UNIT_MS); u * UNIT_MS < blockEnd; u++) units.push(u);
    const row = {
      id,
      patient_id: patientId,
      provider_id: listing.id,
      owner_id: listing.owner_id,
      service_id: listing.service_id,
      provider_name: listing.name,
      service_name: listing.service_name,
      time_zone: listing.time_zone,
      start_at: new Date(start).toISOString(),
      end_at: new Date(end).toISOString(),
      block_start_at: new Date(blockStart).toISOString(),
      block_end_at: new Date(blockEnd).toISOString(),
      status: 'confirmed' as const,
      price_cents: listing.price_cents,
      currency: listing.currency,
      reason_for_visit: body.reasonForVisit.trim(),
      new_patient: body.newPatient ? 1 : 0,
      cancellation_window_hours: cancellationWindowHours as number,
      hold_expires_at: null,
      payment_intent_id: null,
      payment_client_secret: null,
      payment_checkout_url: null,
      payment_status: null,
      refunded_cents: 0,
      rescheduled_from: null,
      rescheduled_to: null,
      reminder_sent_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    try {
      await o.bookings.transaction().execute(async (trx) => {
        await trx.insertInto('bookings').values(row).execute();
        await trx
          .insertInto('booking_claims')
          .values(units.map((unit) => ({ provider_id: listing.id, unit, booking_id: id })))
          .execute();
        await trx
          .insertInto('bookings_outbox')
          .values({
            id: newId(),
            aggregate_type: 'booking',
            aggregate_id: id,
            event_type: 'booking.created',
            payload: JSON.stringify({
              bookingId: id,
              patientId,
              providerId: listing.id,
              ownerId: listing.owner_id,
              from: null,
              to: 'confirmed',
              start: row.start_at,
              end: row.end_at,
              version: 1,
              reason: null,
            }),
            occurred_at: at,
            published_at: at,
            attempts: 0,
            last_error: null,
          })
          .execute();
      });
    } catch (err) {
      if (isUniqueViolation(err)) return reply.code(409).send(problem(409, 'SLOT_TAKEN'));
      throw err;
    }
    return reply
      .code(201)
      .send({ id, status: row.status, start: row.start_at, end: row.end_at, updatedAt: at });
  });
  return app;
}
