import type { PracticeBooking } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { CardSkeletons, EmptyState, ErrorNotice, StatusBadge } from '../../ui/feedback';
import { dateTime, isoDate, time, zoneShort } from '../../ui/format';
import { CalendarFeedPanel } from '../account/CalendarFeedPanel';
import { PracticeReviews } from '../reviews/PracticeReviews';
import { BookingActions, PatientContact } from './BookingActions';
import { PracticeCalendar } from './calendar/PracticeCalendar';
import { practiceSchedule, practiceScheduleKey } from './practice-api';
import { StaffPanel } from './StaffPanel';
import './provider.css';

const DAY = 86_400_000;
/** How far ahead "who is coming" looks. */
const AHEAD_DAYS = 30;

/** One booking for the front desk: when (in the practice's zone), who, new or returning, how to reach them, why. */
function BookingItem({ b }: { b: PracticeBooking }) {
  return (
    <li className="card booking-row" data-testid="dashboard-booking">
      <div>
        <h3>
          {time(b.start, b.timeZone)}–{time(b.end, b.timeZone)}{' '}
          <span className="muted small">{zoneShort(b.timeZone, new Date(b.start))}</span> · {b.patient.name}
        </h3>
        <p>
          <span className={`badge ${b.newPatient ? 'badge-new-patient' : 'badge-returning'}`}>
            {b.newPatient ? 'New patient' : 'Returning'}
          </span>
          {b.serviceName} · {b.providerName} · {dateTime(b.start, b.timeZone)}
        </p>
        <p className="small">
          <PatientContact b={b} />
        </p>
        {b.reasonForVisit && <p className="muted">Reason: “{b.reasonForVisit}”</p>}
      </div>
      <div className="row-actions">
        <StatusBadge status={b.status} />
        <BookingActions b={b} />
      </div>
    </li>
  );
}

function Section({ title, items, empty }: { title: string; items: PracticeBooking[]; empty: string }) {
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="card-list">
          {items.map((b) => (
            <BookingItem key={b.id} b={b} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Listings() {
  const q = useQuery({ queryKey: keys.myListings, queryFn: api.myListings });
  return (
    <section className="card" aria-labelledby="listings-title">
      <div className="section-head">
        <h2 id="listings-title">Your listings</h2>
        <Link className="btn btn-small" to="/provider/listings/new">
          New listing
        </Link>
      </div>
      {q.isPending && <CardSkeletons count={2} label="Loading listings" />}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.data?.items.length === 0 && (
        <p className="muted">No listings yet. Create one to start taking bookings.</p>
      )}
      <ul className="plain-list">
        {q.data?.items.map((l) => (
          <li key={l.id} className="listing-row">
            <Link to={`/provider/listings/${l.id}`}>{l.name}</Link>
            <span className="muted small">{l.city}</span>
            <StatusBadge status={l.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DashboardPage() {
  const user = useAppSelector((s) => s.session.user);
  // One window per visit: from a day back (today's earlier visits, in any zone) to a month ahead.
  const [range] = useState(() => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    return {
      from: new Date(now - 1.1 * DAY).toISOString(),
      to: new Date(now + AHEAD_DAYS * DAY).toISOString(),
    };
  });
  const coming = useQuery({ queryKey: practiceScheduleKey(range), queryFn: () => practiceSchedule(range) });
  const items = coming.data?.bookings ?? [];
  const nowMs = Date.now();
  // "Today" is the practice's today: each booking's date in its listing's zone.
  const isToday = (b: PracticeBooking) =>
    isoDate(new Date(b.start), b.timeZone) === isoDate(new Date(nowMs), b.timeZone);
  const started = (b: PracticeBooking) => Date.parse(b.start) <= nowMs;
  const active = (b: PracticeBooking) => b.status === 'confirmed' || b.status === 'in_progress';
  const finished = (b: PracticeBooking) => b.status === 'completed' || b.status === 'no_show';
  const now = items.filter((b) => started(b) && active(b));
  const up = items.filter((b) => !started(b) && !finished(b));
  // Finished today stays in view, so marking a visit completed does not make it vanish.
  const doneToday = items.filter((b) => finished(b) && isToday(b));
  const todays = up.filter(isToday);
  const later = up.filter((b) => !isToday(b));
  const error = coming.error;
  return (
    <div className="dashboard">
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">
          {user?.displayName}
          {user?.role === 'provider' && !user.verified
            ? ' · awaiting verification: you can prepare listings, publishing opens once verified'
            : ''}
        </p>
      </div>
      <PracticeCalendar />
      <div className="dashboard-grid">
        <div className="dashboard-bookings" aria-live="polite">
          {error && <ErrorNotice error={error} />}
          {coming.isPending ? (
            <CardSkeletons count={3} label="Loading bookings" />
          ) : (
            <>
              {now.length > 0 && <Section title="Needs your action" items={now} empty="" />}
              <Section title="Today" items={todays} empty="No more appointments today." />
              <Section
                title="Upcoming"
                items={later}
                empty={`Nothing booked in the next ${AHEAD_DAYS} days.`}
              />
              {doneToday.length > 0 && <Section title="Done today" items={doneToday} empty="" />}
            </>
          )}
          {!coming.isPending && up.length === 0 && now.length === 0 && (
            <EmptyState title="No bookings yet">
              <p>New bookings appear here the moment a patient books.</p>
            </EmptyState>
          )}
        </div>
        <div>
          <Listings />
          <CalendarFeedPanel practice />
          <PracticeReviews />
          <StaffPanel />
        </div>
      </div>
    </div>
  );
}
