import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { slotChosen } from '../../app/booking-draft-slice';
import { useAppDispatch } from '../../app/store';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { money, zonedRange } from '../../ui/format';

/** The query a booking deep link carries (SMART Scheduling Links `booking-deep-link`). */
export function slotLinkOf(params: URLSearchParams) {
  const start = params.get('start') ?? '';
  return {
    providerId: params.get('provider') ?? '',
    serviceId: params.get('service') ?? '',
    start: Number.isNaN(Date.parse(start)) ? '' : new Date(start).toISOString(),
    source: params.get('source'),
    referral: params.get('booking-referral'),
  };
}

/**
 * `/book/slot?provider=…&service=…&start=…[&source=…&booking-referral=…]`: where a slot
 * aggregator sends a patient. Offers that one slot if it is still free, then continues to the
 * normal booking flow; otherwise points to the provider's other times.
 */
export function SlotLinkPage() {
  const [params] = useSearchParams();
  const link = slotLinkOf(params);
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const valid = Boolean(link.providerId && link.serviceId && link.start);
  const listing = useQuery({
    queryKey: ['slot-link', 'listing', link.providerId],
    queryFn: () => api.listing(link.providerId),
    enabled: valid,
  });
  const slot = useQuery({
    queryKey: ['slot-link', 'availability', link.providerId, link.serviceId, link.start],
    queryFn: async () => {
      const from = link.start;
      const to = new Date(Date.parse(from) + 60_000).toISOString();
      const res = await api.availability(link.providerId, link.serviceId, from, to, 'UTC');
      // The API writes instants with the zone's offset (+00:00 here): compare instants, not strings.
      return (
        res.days.flatMap((d) => d.slots).find((s) => Date.parse(s.start) === Date.parse(link.start)) ?? null
      );
    },
    enabled: valid,
  });

  if (!valid)
    return (
      <EmptyState title="This booking link is incomplete">
        <p>
          <Link to="/search">Find a provider</Link> and pick an open slot instead.
        </p>
      </EmptyState>
    );
  if (listing.error || slot.error) return <ErrorNotice error={listing.error ?? slot.error} />;
  if (!listing.data || slot.data === undefined) return <Skeleton label="Checking this time" />;
  const l = listing.data;
  const service = l.services.find((s) => s.id === link.serviceId);
  if (!service || !slot.data)
    return (
      <EmptyState title="This time is no longer available">
        <p>
          Someone may have booked it. <Link to={`/providers/${l.id}`}>See other times with {l.name}</Link>.
        </p>
      </EmptyState>
    );
  const chosen = slot.data;
  const book = () => {
    dispatch(
      slotChosen({
        providerId: l.id,
        providerName: l.name,
        serviceId: service.id,
        serviceName: service.name,
        priceCents: service.priceCents,
        currency: service.currency,
        durationMinutes: service.durationMinutes,
        start: chosen.start,
        end: chosen.end,
        timeZone: l.timeZone,
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    navigate('/book');
  };
  return (
    <section aria-labelledby="slot-link-title" className="card">
      <h1 id="slot-link-title">Book this time</h1>
      {link.source && <p className="muted">Found through {link.source}.</p>}
      <dl>
        <dt>Provider</dt>
        <dd>{l.name}</dd>
        <dt>Service</dt>
        <dd>
          {service.name} ({service.durationMinutes} min,{' '}
          {service.priceCents === 0 ? 'free' : money(service.priceCents, service.currency)})
        </dd>
        <dt>When</dt>
        <dd>{zonedRange(chosen.start, chosen.end, l.timeZone)}</dd>
      </dl>
      <button type="button" className="btn" onClick={book}>
        Continue to book
      </button>
    </section>
  );
}
