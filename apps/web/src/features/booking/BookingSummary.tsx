import type { BookingDraft } from '../../app/booking-draft-slice';
import { dateTime, money, time, zoneLabel } from '../../ui/format';

export function BookingSummary({ draft }: { draft: BookingDraft }) {
  return (
    <dl className="summary">
      <dt>With</dt>
      <dd>{draft.providerName}</dd>
      <dt>Service</dt>
      <dd>
        {draft.serviceName} ({draft.durationMinutes} min)
      </dd>
      <dt>When</dt>
      <dd>
        {dateTime(draft.start, draft.timeZone)}–{time(draft.end, draft.timeZone)}
        <span className="muted small"> {zoneLabel(draft.timeZone)}</span>
      </dd>
      <dt>Price</dt>
      <dd>{money(draft.priceCents, draft.currency)}</dd>
    </dl>
  );
}
