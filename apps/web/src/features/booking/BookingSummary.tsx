import type { BookingDraft } from '../../app/booking-draft-slice';
import { money, viewerTime, zonedRange } from '../../ui/format';

export function BookingSummary({ draft }: { draft: BookingDraft }) {
  const yours = viewerTime(draft.start, draft.timeZone);
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
        {zonedRange(draft.start, draft.end, draft.timeZone)}
        {yours && <span className="muted small"> · {yours}</span>}
      </dd>
      <dt>Price</dt>
      <dd>{money(draft.priceCents, draft.currency)}</dd>
    </dl>
  );
}
