import type { AvailabilityQuery, AvailabilityResponse } from '@carebook/contracts';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { Clock } from '../../ports/clock';
import type { ProvidersService } from '../providers/providers.service';
import { computeSlots, groupSlotsByDay, isValidTimeZone } from './domain';

const DAY = 86_400_000;
export const DEFAULT_RANGE_DAYS = 14;
export const MAX_RANGE_DAYS = 62;

export class AvailabilityService {
  constructor(private readonly d: { providers: ProvidersService; busy: BusyTimeReader; clock: Clock }) {}

  /** Bookable slots of one service, grouped by day in the patient's zone. */
  async slots(
    principal: Principal | null,
    providerId: string,
    query: AvailabilityQuery,
  ): Promise<AvailabilityResponse> {
    const listing = await this.d.providers.get(principal, providerId);
    const service = listing.services.find((s) => s.id === query.serviceId && s.active);
    if (!service) throw notFound('The service');
    const tz = query.tz ?? listing.timeZone;
    if (!isValidTimeZone(tz)) {
      throw new DomainError('VALIDATION_FAILED', `"${tz}" is not an IANA time zone.`, {
        errors: [{ path: '/query/tz', message: 'is not an IANA time zone (e.g. America/New_York)' }],
      });
    }
    const now = this.d.clock.now().getTime();
    const from = query.from ? Date.parse(query.from) : now;
    const to = query.to ? Date.parse(query.to) : from + DEFAULT_RANGE_DAYS * DAY;
    if (!(to > from) || to - from > MAX_RANGE_DAYS * DAY) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `"to" must be after "from" and at most ${MAX_RANGE_DAYS} days later.`,
        {
          errors: [
            { path: '/query/to', message: `must be after from and within ${MAX_RANGE_DAYS} days of it` },
          ],
        },
      );
    }
    const { cancellationWindowHours: _policy, ...schedule } = listing.schedule;
    const busy = await this.d.busy.busyIntervals(providerId, from - DAY, to + DAY);
    const slots = computeSlots({
      schedule: { ...schedule, timeZone: listing.timeZone },
      service: {
        durationMinutes: service.durationMinutes,
        bufferBeforeMinutes: service.bufferBeforeMinutes,
        bufferAfterMinutes: service.bufferAfterMinutes,
      },
      busy,
      now,
      from,
      to,
    });
    return {
      providerId,
      serviceId: service.id,
      providerTimeZone: listing.timeZone,
      timeZone: tz,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      days: groupSlotsByDay(slots, tz),
    };
  }
}
