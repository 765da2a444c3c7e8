import { CarebookEvent } from '@carebook/contracts';
import type { TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent, EventHandler } from '../ports/event-bus';

/** The union's members, nested unions flattened: one envelope schema per event type. */
function members(schema: TSchema): TSchema[] {
  return Array.isArray(schema.anyOf) ? (schema.anyOf as TSchema[]).flatMap(members) : [schema];
}

/**
 * One validator per event type, chosen by `type`: the union's own validator tried the members in
 * turn, checking each one's id before its type, and every consumer did that again for each event.
 */
const ajv = addFormats(new Ajv({ strict: false }));
const byType = new Map<string, ValidateFunction<CarebookEvent>>(
  members(CarebookEvent).map((m) => {
    const type = (m.properties as { type?: { const?: unknown } } | undefined)?.type?.const;
    if (typeof type !== 'string')
      throw new Error('every event of the contracts names its type as a constant');
    return [type, ajv.compile<CarebookEvent>(m)];
  }),
);

/** What was wrong with an event, or null when it matches the contracts. */
function problemsOf(event: DomainEvent): ErrorObject[] | null {
  const validate = typeof event.type === 'string' ? byType.get(event.type) : undefined;
  if (!validate) {
    const message = `must be one of the contracts' event types (${byType.size})`;
    return [{ instancePath: '/type', schemaPath: '#/anyOf', keyword: 'anyOf', params: {}, message }];
  }
  return validate(event) ? null : (validate.errors ?? []);
}

/**
 * The verdict on each event object: the in-process bus hands the same object to every consumer,
 * so it is checked once, not once per consumer. Events are never changed after publishing.
 */
const verdicts = new WeakMap<DomainEvent, ErrorObject[] | null>();

function checked(event: DomainEvent): ErrorObject[] | null {
  let verdict = verdicts.get(event);
  if (verdict === undefined) {
    verdict = problemsOf(event);
    verdicts.set(event, verdict);
  }
  return verdict;
}

/**
 * Checks each event against the contracts' event union before `handler` sees it. An event that
 * does not match (an unknown type, a payload of the wrong shape) is logged and skipped: delivering
 * it again would not make it valid, and it must not hold back the events behind it.
 */
export function checkedEvents(
  handler: (event: CarebookEvent) => Promise<void>,
  log: Pick<FastifyBaseLogger, 'error'>,
): EventHandler {
  return async (event: DomainEvent) => {
    const errors = checked(event);
    if (errors === null) return handler(event as CarebookEvent);
    log.error({ eventId: event.id, type: event.type, errors }, 'event does not match the contracts; skipped');
  };
}
