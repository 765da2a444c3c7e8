import type { PracticeBooking } from '@carebook/contracts';
import { useEffect, useRef } from 'react';
import { StatusBadge } from '../../../ui/feedback';
import { BookingActions, PatientContact } from '../BookingActions';
import { dateLabel, patientKind, timeRange } from './calendar-labels';

/**
 * One booking opened from the calendar: who, how to reach them, why, when. Focus moves to its
 * heading when it opens; Close (or Escape) hands focus back to the booking it came from.
 */
export function BookingDetails({
  b,
  date,
  tz,
  onClose,
}: {
  b: PracticeBooking;
  date: string;
  tz: string;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section
      className="card cal-details"
      aria-labelledby="cal-details-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="section-head">
        <h3 id="cal-details-title" ref={heading} tabIndex={-1}>
          {b.patient.name}
        </h3>
        <button type="button" className="btn btn-secondary btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="cal-facts">
        <dt>When</dt>
        <dd>
          {dateLabel(date)}, {timeRange(b, tz)}
        </dd>
        <dt>Service</dt>
        <dd>
          {b.serviceName} · {b.providerName}
        </dd>
        <dt>Patient</dt>
        <dd>{patientKind(b).replace(/^./, (c) => c.toUpperCase())}</dd>
        <dt>Contact</dt>
        <dd>
          <PatientContact b={b} />
        </dd>
        <dt>Reason for visit</dt>
        <dd>{b.reasonForVisit || <span className="muted">Not given</span>}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={b.status} />
        </dd>
      </dl>
      <div className="row-actions">
        <BookingActions b={b} />
      </div>
    </section>
  );
}
