import type { KeyboardEvent } from 'react';
import { time } from '../../../ui/format';
import { bookingName, clock, dateLabel, openSummary } from './calendar-labels';
import { type CalendarDay, hourWindow, moveFocus, NAV_KEYS, type NavKey } from './calendar-model';

/** 72 px an hour: the grid lines in calendar.css repeat every 72 px. */
const PX_PER_MINUTE = 1.2;
const hourMarks = (h: { from: number; to: number }) =>
  Array.from({ length: h.to - h.from }, (_, i) => h.from + i);
const MIN_BOOKING_PX = 28;

/**
 * The days of a view and their bookings, as a time grid (wide screens) or a list of days (narrow).
 * Each booking is a button named by patient, service and time; one of them is in the tab order
 * and the arrow keys move between them (roving focus), Enter or Space opens one.
 */
export function CalendarDays({
  days,
  tz,
  today,
  layout,
  label,
  hintId,
  focusId,
  onFocusChange,
  onOpen,
}: {
  days: CalendarDay[];
  tz: string;
  today: string;
  layout: 'grid' | 'list';
  label: string;
  hintId: string;
  focusId: string | null;
  onFocusChange: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const hours = hourWindow(days);
  const height = (hours.to - hours.from) * 60 * PX_PER_MINUTE;
  const top = (min: number) => (min - hours.from * 60) * PX_PER_MINUTE;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const id = target.dataset.bookingId;
    if (!id || !NAV_KEYS.includes(e.key)) return;
    e.preventDefault();
    const next = moveFocus(days, id, e.key as NavKey);
    if (!next) return;
    onFocusChange(next);
    e.currentTarget.querySelector<HTMLElement>(`[data-booking-id="${next}"]`)?.focus();
  };
  const grid = layout === 'grid';
  return (
    // biome-ignore lint/a11y/useSemanticElements: a time grid of buttons, not a form (no fieldset); arrow keys move between its bookings
    <div
      className={`cal-body cal-${layout}`}
      role="group"
      aria-label={label}
      aria-describedby={hintId}
      onKeyDown={onKeyDown}
      style={grid ? { gridTemplateColumns: `4.4rem repeat(${days.length}, minmax(0, 1fr))` } : undefined}
    >
      {grid && (
        <div className="cal-axis" aria-hidden="true">
          <div className="cal-day-head" />
          <div className="cal-day-body" style={{ height }}>
            {hourMarks(hours).map((hour) => (
              <span key={hour} className="cal-hour" style={{ top: top(hour * 60) }}>
                {clock(hour * 60)}
              </span>
            ))}
          </div>
        </div>
      )}
      {days.map((day) => {
        const headId = `cal-day-${day.date}`;
        return (
          <section key={day.date} className="cal-day" aria-labelledby={headId}>
            <h3 id={headId} className="cal-day-head" aria-current={day.date === today ? 'date' : undefined}>
              {dateLabel(day.date, grid && days.length > 1 ? 'short' : 'long')}
            </h3>
            <p className={grid ? 'visually-hidden' : 'muted small cal-open-text'}>{openSummary(day)}</p>
            <div className="cal-day-body" style={grid ? { height } : undefined}>
              {grid &&
                day.open.map((o) => (
                  <div
                    key={o.fromMin}
                    className="cal-open"
                    aria-hidden="true"
                    style={{ top: top(o.fromMin), height: (o.toMin - o.fromMin) * PX_PER_MINUTE }}
                  />
                ))}
              {day.bookings.length > 0 ? (
                <ul className="cal-bookings">
                  {day.bookings.map(({ booking: b, fromMin, toMin }) => (
                    <li
                      key={b.id}
                      style={
                        grid
                          ? {
                              top: top(fromMin),
                              height: Math.max(MIN_BOOKING_PX, (toMin - fromMin) * PX_PER_MINUTE),
                            }
                          : undefined
                      }
                    >
                      <button
                        type="button"
                        className={`cal-booking cal-booking-${b.status}`}
                        data-booking-id={b.id}
                        data-testid="calendar-booking"
                        tabIndex={b.id === focusId ? 0 : -1}
                        aria-label={bookingName(b, day.date, tz)}
                        onFocus={() => onFocusChange(b.id)}
                        onClick={() => onOpen(b.id)}
                      >
                        <span className="cal-booking-time">
                          {grid ? time(b.start, tz) : `${time(b.start, tz)}–${time(b.end, tz)}`}
                        </span>{' '}
                        <span className="cal-booking-who">{b.patient.name}</span>{' '}
                        <span className="cal-booking-what">{b.serviceName}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                !grid && <p className="muted small">No bookings</p>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
