import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dayLabel, isoDate, localZone, time, zoneLabel } from '../../ui/format';
import './week-calendar.css';

const DAY = 86_400_000;
const MAX_SLOTS = 8;

export interface PickedSlot {
  start: string;
  end: string;
}

/** Seven days of open slots for one service, in the provider's zone or the viewer's. */
export function WeekCalendar({
  providerId,
  serviceId,
  providerZone,
  onPick,
  selected,
}: {
  providerId: string;
  serviceId: string;
  providerZone: string;
  onPick: (slot: PickedSlot, tz: string) => void;
  selected?: string | null;
}) {
  const mine = localZone();
  const [tz, setTz] = useState(providerZone);
  const [week, setWeek] = useState(0);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const zoneId = useId();
  // One anchor per mount, so the query key is stable across renders.
  const [anchor] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const from = new Date(anchor + week * 7 * DAY).toISOString();
  const to = new Date(anchor + (week + 1) * 7 * DAY).toISOString();
  const q = useQuery({
    queryKey: keys.availability(providerId, serviceId, from, tz),
    queryFn: () => api.availability(providerId, serviceId, from, to, tz),
  });
  const days = useMemo(() => {
    const out: { date: string; label: string; slots: PickedSlot[] }[] = [];
    // Bookings start on 5-minute units; a slot off that grid (hours starting at 09:03) cannot be booked.
    const byDate = new Map(
      (q.data?.days ?? []).map((d) => [d.date, d.slots.filter((x) => Date.parse(x.start) % 300_000 === 0)]),
    );
    for (let i = 0; i < 7; i++) {
      const at = new Date(anchor + (week * 7 + i) * DAY);
      const date = isoDate(at, tz);
      out.push({ date, label: dayLabel(at.toISOString(), tz), slots: byDate.get(date) ?? [] });
    }
    return out;
  }, [q.data, anchor, week, tz]);
  const total = days.reduce((n, d) => n + d.slots.length, 0);

  return (
    <div className="calendar">
      <div className="calendar-head">
        <div className="week-nav">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={week === 0}
            onClick={() => setWeek(week - 1)}
          >
            ‹ Previous week
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={week >= 12}
            onClick={() => setWeek(week + 1)}
          >
            Next week ›
          </button>
        </div>
        <div className="zone-switch">
          <label htmlFor={zoneId}>Times shown in</label>
          <select id={zoneId} value={tz} onChange={(e) => setTz(e.target.value)}>
            <option value={providerZone}>{zoneLabel(providerZone)} — clinic</option>
            {mine !== providerZone && <option value={mine}>{zoneLabel(mine)} — yours</option>}
            {providerZone !== 'UTC' && mine !== 'UTC' && <option value="UTC">UTC</option>}
          </select>
        </div>
      </div>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={4} label="Loading available times" />
      ) : (
        <>
          <fieldset className="week">
            <legend className="visually-hidden">Available times, {zoneLabel(tz)}</legend>
            {days.map((d) => {
              const open = expanded.has(d.date);
              const shown = open ? d.slots : d.slots.slice(0, MAX_SLOTS);
              return (
                <section key={d.date} className="day" aria-label={d.label}>
                  <h3>{d.label}</h3>
                  {d.slots.length === 0 ? (
                    <p className="muted small">No times</p>
                  ) : (
                    <ul>
                      {shown.map((s) => (
                        <li key={s.start}>
                          <button
                            type="button"
                            className="slot"
                            aria-pressed={selected === s.start}
                            aria-label={`${d.label} at ${time(s.start, tz)}`}
                            onClick={() => onPick(s, tz)}
                          >
                            {time(s.start, tz)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                  {d.slots.length > MAX_SLOTS && (
                    <button
                      type="button"
                      className="link-button small"
                      aria-expanded={open}
                      onClick={() => {
                        const next = new Set(expanded);
                        if (open) next.delete(d.date);
                        else next.add(d.date);
                        setExpanded(next);
                      }}
                    >
                      {open ? 'Fewer' : `+${d.slots.length - MAX_SLOTS} more`}
                    </button>
                  )}
                </section>
              );
            })}
          </fieldset>
          {total === 0 && <p className="muted">No open times this week. Try the next week.</p>}
        </>
      )}
    </div>
  );
}
