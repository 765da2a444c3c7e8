import type { DaySlots, Slot } from './types';
import { DAY, dayNumberToDate, timelineFor, timeOfDay } from './zone-timeline';

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 local date-time with the zone's offset at that instant, e.g. `2026-03-08T03:00:00-04:00`. */
export function formatInstant(ms: number, offset: number): string {
  const wall = ms + offset;
  const day = Math.floor(wall / DAY);
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${dayNumberToDate(day)}T${timeOfDay(wall - day * DAY)}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Groups slots by the local date of their start in `timeZone` (the patient's zone), days in order,
 * slots sorted by start. Start and end carry the offset in force at each instant, so a slot that
 * spans a DST change shows two different offsets. Throws RangeError for an unknown zone.
 */
export function groupSlotsByDay(slots: readonly Slot[], timeZone: string): DaySlots[] {
  const timeline = timelineFor(timeZone);
  if (slots.length === 0) return [];
  const sorted = [...slots].sort((a, b) => a.start - b.start);
  const first = sorted[0] as Slot;
  timeline.cover(first.start - DAY, sorted.reduce((max, s) => Math.max(max, s.end), first.end) + DAY);
  const days: DaySlots[] = [];
  const byDate = new Map<string, DaySlots>();
  for (const slot of sorted) {
    const startOffset = timeline.offsetAt(slot.start);
    const date = dayNumberToDate(Math.floor((slot.start + startOffset) / DAY));
    let day = byDate.get(date);
    if (!day) {
      day = { date, slots: [] };
      byDate.set(date, day);
      days.push(day);
    }
    day.slots.push({
      start: formatInstant(slot.start, startOffset),
      end: formatInstant(slot.end, timeline.offsetAt(slot.end)),
    });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
