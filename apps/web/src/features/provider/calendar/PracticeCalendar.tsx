import type { ListingSummary } from '@carebook/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../../api/endpoints';
import { keys } from '../../../app/query-client';
import { ErrorNotice, Skeleton } from '../../../ui/feedback';
import { zoneLabel } from '../../../ui/format';
import { practiceSchedule, practiceScheduleKey } from '../practice-api';
import { BookingDetails } from './BookingDetails';
import { CalendarDays } from './CalendarDays';
import { rangeLabel } from './calendar-labels';
import { buildDays, type CalendarView, step, viewDates, viewRange } from './calendar-model';
import { useNarrow } from './use-narrow';
import { zonedDate } from './zoned-days';
import './calendar.css';

const isDate = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

/**
 * The practice's day and week calendar: bookings and opening hours of one listing in its own
 * zone, live (the bookings key is refetched on every pushed booking event). Listing, view and
 * date live in the URL (`calendar`, `view`, `date`), so a reload keeps them.
 */
export function PracticeCalendar() {
  const listings = useQuery({ queryKey: keys.myListings, queryFn: api.myListings });
  const [params, setParams] = useSearchParams();
  const items = listings.data?.items ?? [];
  const chosen = items.find((l) => l.id === params.get('calendar')) ?? items[0];
  const listing = useQuery({
    queryKey: keys.listing(chosen?.id ?? ''),
    queryFn: () => api.listing(chosen?.id ?? ''),
    enabled: !!chosen,
  });
  const set = (patch: Record<string, string | null>) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true },
    );
  if (listings.isPending) return <Skeleton lines={4} label="Loading the calendar" />;
  if (listings.isError) return <ErrorNotice error={listings.error} onRetry={() => listings.refetch()} />;
  if (!chosen) return null;
  return (
    <section className="card cal" aria-labelledby="cal-title">
      <div className="cal-title-row">
        <h2 id="cal-title">Calendar</h2>
        {items.length > 1 && (
          <ListingChoice items={items} value={chosen.id} onChange={(id) => set({ calendar: id })} />
        )}
      </div>
      {listing.isError && <ErrorNotice error={listing.error} onRetry={() => listing.refetch()} />}
      {listing.data ? (
        <CalendarPanel
          key={listing.data.id}
          listingId={listing.data.id}
          tz={listing.data.timeZone}
          view={params.get('view') === 'day' ? 'day' : 'week'}
          date={isDate(params.get('date')) ? (params.get('date') as string) : null}
          onView={(view) => set({ view })}
          onDate={(date) => set({ date })}
        />
      ) : (
        !listing.isError && <Skeleton lines={4} label="Loading the calendar" />
      )}
    </section>
  );
}

function ListingChoice({
  items,
  value,
  onChange,
}: {
  items: ListingSummary[];
  value: string;
  onChange: (id: string) => void;
}) {
  const id = useId();
  return (
    <div className="cal-listing">
      <label htmlFor={id}>Listing</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {items.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name} ({l.city})
          </option>
        ))}
      </select>
    </div>
  );
}

function CalendarPanel({
  listingId,
  tz,
  view,
  date: asked,
  onView,
  onDate,
}: {
  listingId: string;
  tz: string;
  view: CalendarView;
  date: string | null;
  onView: (v: CalendarView) => void;
  onDate: (d: string | null) => void;
}) {
  const hintId = useId();
  const narrow = useNarrow();
  const today = zonedDate(Date.now(), tz);
  const date = asked ?? today;
  const dates = useMemo(() => viewDates(view, date), [view, date]);
  const range = useMemo(() => viewRange(view, date, tz), [view, date, tz]);
  const query = { ...range, providerId: listingId };
  const q = useQuery({
    queryKey: practiceScheduleKey(query),
    queryFn: () => practiceSchedule(query),
    placeholderData: keepPreviousData,
  });
  const bookings = q.data?.bookings;
  const open = q.data?.listings.find((l) => l.id === listingId)?.open;
  const days = useMemo(
    () => (q.isPlaceholderData ? [] : buildDays(dates, tz, bookings ?? [], open ?? [])),
    [dates, tz, bookings, open, q.isPlaceholderData],
  );
  const all = days.flatMap((d) => d.bookings);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  // The roving tab stop stays on a booking that is still shown (a live cancellation may remove it).
  const tabStop = all.some((b) => b.booking.id === focusId) ? focusId : (all[0]?.booking.id ?? null);
  const opened = all.find((b) => b.booking.id === openId);
  useEffect(() => {
    if (!returnTo) return;
    document.querySelector<HTMLElement>(`[data-booking-id="${returnTo}"]`)?.focus();
    setReturnTo(null);
  }, [returnTo]);
  const what = view === 'day' ? 'day' : 'week';
  return (
    <>
      <div className="cal-toolbar">
        <fieldset className="cal-views">
          <legend className="visually-hidden">View</legend>
          {(['day', 'week'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="btn btn-secondary btn-small"
              aria-pressed={view === v}
              onClick={() => onView(v)}
            >
              {v === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </fieldset>
        <div className="cal-nav">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => onDate(step(view, date, -1))}
          >
            ‹ Previous<span className="cal-unit"> {what}</span>
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={dates.includes(today)}
            onClick={() => onDate(null)}
          >
            Today
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => onDate(step(view, date, 1))}
          >
            Next<span className="cal-unit"> {what}</span> ›
          </button>
        </div>
      </div>
      <p className="cal-range" aria-live="polite">
        <strong>{rangeLabel(view, dates)}</strong>
      </p>
      <p id={hintId} className="muted small">
        Times in {zoneLabel(tz)}, the practice’s zone.{narrow ? '' : ' Shaded: opening hours.'} Arrow keys
        move between bookings; Enter opens one.
      </p>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending || q.isPlaceholderData ? (
        <Skeleton lines={5} label="Loading bookings" />
      ) : (
        <>
          <p className="visually-hidden" role="status">
            {all.length === 1 ? '1 booking' : `${all.length} bookings`} this {what}
          </p>
          {q.data?.truncated && (
            <p className="notice" role="note">
              More bookings than one view can show: switch to the day view.
            </p>
          )}
          <CalendarDays
            days={days}
            tz={tz}
            today={today}
            layout={narrow ? 'list' : 'grid'}
            label={`Bookings and opening hours, ${rangeLabel(view, dates)}`}
            hintId={hintId}
            focusId={tabStop}
            onFocusChange={setFocusId}
            onOpen={setOpenId}
          />
          {all.length === 0 && <p className="muted">No bookings this {what}.</p>}
        </>
      )}
      {opened && (
        <BookingDetails
          key={opened.booking.id}
          b={opened.booking}
          date={zonedDate(Date.parse(opened.booking.start), tz)}
          tz={tz}
          onClose={() => {
            setOpenId(null);
            setReturnTo(opened.booking.id);
          }}
        />
      )}
    </>
  );
}
