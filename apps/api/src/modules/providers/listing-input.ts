import { type ListingInput, normaliseInsuranceName, type Schedule } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import { isValidTimeZone, validateSchedule } from '../availability/domain';

/** Checks what JSON Schema cannot (a real time zone) and normalises free-text lists. */
export function normaliseListingInput(input: ListingInput): ListingInput {
  if (!isValidTimeZone(input.timeZone)) {
    throw new DomainError('VALIDATION_FAILED', `"${input.timeZone}" is not an IANA time zone.`, {
      errors: [{ path: '/body/timeZone', message: 'is not an IANA time zone (e.g. Europe/Berlin)' }],
    });
  }
  const dedupe = (values: string[]) => [...new Map(values.map((v) => [v.toLowerCase(), v])).values()];
  return {
    ...input,
    name: input.name.trim(),
    bio: input.bio.trim(),
    conditions: dedupe(input.conditions.map((c) => c.trim()).filter(Boolean)),
    insurance: dedupe(input.insurance.map(normaliseInsuranceName).filter(Boolean)),
    gender: input.kind === 'clinic' ? null : input.gender,
  };
}

export function checkSchedule(schedule: Schedule, timeZone: string): void {
  const issues = validateSchedule({ ...schedule, timeZone });
  if (issues.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The schedule is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`,
      {
        errors: issues.map((i) => ({
          path: `/body/${i.path.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`,
          message: i.message,
        })),
      },
    );
  }
}

export const defaultSchedule = (): Schedule => ({
  weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  overrides: [],
  timeOff: [],
  slotIntervalMinutes: 15,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 60,
  cancellationWindowHours: 24,
});
