import type { Listing, Service } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/endpoints';
import { slotChosen } from '../../app/booking-draft-slice';
import { keys } from '../../app/query-client';
import { useAppDispatch } from '../../app/store';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { money } from '../../ui/format';
import { ListingReviews } from '../reviews/ListingReviews';
import { languageLabel, visitTypeLabel } from '../search/labels';
import { WeekCalendar } from './WeekCalendar';
import './profile.css';

function Photos({ listing }: { listing: Listing }) {
  if (!listing.photos.length) return null;
  return (
    <ul className="photos" aria-label="Photos">
      {listing.photos.slice(0, 4).map((p, i) => (
        <li key={p.id}>
          <picture>
            <source srcSet={`/${p.variants.card.webp}`} type="image/webp" />
            <img
              src={`/${p.variants.card.jpeg}`}
              width={p.variants.card.width}
              height={p.variants.card.height}
              alt={`${listing.name} (${i + 1} of ${Math.min(listing.photos.length, 4)})`}
              loading="lazy"
            />
          </picture>
        </li>
      ))}
    </ul>
  );
}

function ServiceList({
  services,
  chosen,
  onChoose,
}: {
  services: Service[];
  chosen: string;
  onChoose: (id: string) => void;
}) {
  return (
    <fieldset className="services">
      <legend>Choose a service</legend>
      {services.map((s) => (
        <label key={s.id} className={`service-option${chosen === s.id ? ' chosen' : ''}`}>
          <input
            type="radio"
            name="service"
            value={s.id}
            checked={chosen === s.id}
            onChange={() => onChoose(s.id)}
          />
          <span className="service-name">{s.name}</span>
          <span className="muted small">
            {s.durationMinutes} min · {visitTypeLabel[s.visitType]}
          </span>
          <span className="price">{money(s.priceCents, s.currency)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ProfilePage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: keys.listing(id), queryFn: () => api.listing(id) });
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [serviceId, setServiceId] = useState<string | null>(null);

  if (q.isPending) return <Skeleton lines={8} label="Loading provider" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  const listing = q.data;
  const services = listing.services.filter((s) => s.active);
  const service = services.find((s) => s.id === serviceId) ?? services[0];
  const address = listing.address;

  return (
    <article className="profile">
      <p className="breadcrumb">
        <Link to="/search">‹ Back to results</Link>
      </p>
      <header className="profile-head">
        <Avatar name={listing.name} photoKey={listing.photos[0]?.variants.thumbnail.jpeg ?? null} size={88} />
        <div>
          <h1>{listing.name}</h1>
          <p className="muted">
            {listing.kind === 'clinic' ? 'Clinic' : 'Practitioner'} · {address.city}, {address.country}
          </p>
          <ul className="tags" aria-label="Facts">
            {listing.acceptingNewPatients && <li className="tag tag-good">Accepting new patients</li>}
            {listing.visitTypes.map((v) => (
              <li key={v} className="tag">
                {visitTypeLabel[v]}
              </li>
            ))}
          </ul>
        </div>
      </header>
      <Photos listing={listing} />
      <div className="profile-grid">
        <div className="profile-main">
          <section aria-labelledby="book-title" className="card">
            <h2 id="book-title">Book an appointment</h2>
            {service ? (
              <>
                <ServiceList services={services} chosen={service.id} onChoose={setServiceId} />
                <WeekCalendar
                  providerId={listing.id}
                  serviceId={service.id}
                  providerZone={listing.timeZone}
                  onPick={(slot) => {
                    dispatch(
                      slotChosen({
                        providerId: listing.id,
                        providerName: listing.name,
                        serviceId: service.id,
                        serviceName: service.name,
                        priceCents: service.priceCents,
                        currency: service.currency,
                        durationMinutes: service.durationMinutes,
                        start: slot.start,
                        end: slot.end,
                        timeZone: listing.timeZone,
                        idempotencyKey: crypto.randomUUID(),
                      }),
                    );
                    navigate('/book');
                  }}
                />
              </>
            ) : (
              <EmptyState title="No bookable services">
                <p>This provider is not taking online bookings right now.</p>
              </EmptyState>
            )}
          </section>
          {listing.bio && (
            <section aria-labelledby="about-title">
              <h2 id="about-title">About</h2>
              <p className="bio">{listing.bio}</p>
            </section>
          )}
          <ListingReviews providerId={listing.id} />
        </div>
        <aside className="profile-side">
          <section className="card" aria-labelledby="where-title">
            <h2 id="where-title">Where</h2>
            <address>
              {address.line1}
              <br />
              {address.postcode} {address.city}
              {address.region ? `, ${address.region}` : ''}
            </address>
          </section>
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">Good to know</h2>
            <dl className="facts">
              <dt>Languages</dt>
              <dd>{listing.languages.map(languageLabel).join(', ')}</dd>
              {listing.insurance.length > 0 && (
                <>
                  <dt>Insurance</dt>
                  <dd>{listing.insurance.join(', ')}</dd>
                </>
              )}
              {listing.conditions.length > 0 && (
                <>
                  <dt>Treats</dt>
                  <dd>{listing.conditions.join(', ')}</dd>
                </>
              )}
              <dt>Cancellation</dt>
              <dd>
                {listing.schedule.cancellationWindowHours
                  ? `Free cancellation up to ${listing.schedule.cancellationWindowHours} h before`
                  : 'Cancel any time before the visit'}
              </dd>
            </dl>
          </section>
        </aside>
      </div>
    </article>
  );
}
