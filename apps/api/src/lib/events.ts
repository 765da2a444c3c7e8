import { CarebookEvent } from '@carebook/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent, EventHandler } from '../ports/event-bus';

const isCarebookEvent = addFormats(new Ajv({ strict: false })).compile<CarebookEvent>(CarebookEvent);

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
    if (isCarebookEvent(event)) return handler(event);
    log.error(
      { eventId: event.id, type: event.type, errors: isCarebookEvent.errors },
      'event does not match the contracts; skipped',
    );
  };
}
