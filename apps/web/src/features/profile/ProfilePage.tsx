import { type Listing, type Service, specialtyByCode } from '@carebook/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/endpoints';
import { slotChosen } from '../../app/booking-draft-slice';
import { keys } from '../../app/query-client';
import { toSearchParams } from '../../app/search-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, LoadError, Skeleton } from '../../ui/feedback';
import { money } from '../../ui/format';
import { localSpelling, viewerLocale } from '../../ui/locale';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ListingReviews } from '../reviews/ListingReviews';
import { languageLabel, visitTypeLabel } from '../search/labels';
import { useAvailabilityStream } from '../search/use-availability-stream';
import { WaitlistJoin } from '../waitlist/WaitlistJoin';
import { WeekCalendar } from './WeekCalendar';
import './profile.css';

const PinMap = lazy(() => import('../../ui/PinMap'));

type PatientType = 'new' | 'returning';
const specialtyName = (code: string) => specialtyByCode(code)?.name ?? code;

/** "Germany" for DE, in the viewer's language (the code itself if the browser has no name for it). */
function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([viewerLocale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Asked before any slot: new or returning. A practice closed to new patients says so here. */
function PatientTypeChoice({
  name,
  accepting,
  value,
  onChange,
}: {
  name: string;
  accepting: boolean;
  value: PatientType;
  onChange: (v: PatientType) => void;
}) {
  return (
    <>
      {!accepting && (
        <p className="notice closed-notice" role="status">
          {name} is not accepting new patients. Only patients who have been seen here before can book.
        </p>
      )}
      <fieldset className="patient-type">
        <legend>Have you been seen here before?</legend>
        <label>
          <input
            type="radio"
            name="patient-type"
            checked={value === 'new'}
            onChange={() => onChange('new')}
          />
          No, I am a new patient
        </label>
        <label>
          <input
            type="radio"
            name="patient-type"
            checked={value === 'returning'}
            onChange={() => onChange('returning')}
          />
          Yes, I am a returning patient
        </label>
      </fieldset>
    </>
  );
}

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
  const [patientType, setPatientType] = useState<PatientType | null>(null);
  // Back to the search this visitor came from (its filters, sort and page), not a fresh one.
  const lastSearch = toSearchParams(useAppSelector((s) => s.search)).toString();
  useDocumentTitle(q.data?.name);
  // Live: slots booked or freed by anyone disappear or appear without a reload.
  const queryClient = useQueryClient();
  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: ['availability', id] }),
    [queryClient, id],
  );
  useAvailabilityStream(id ? [id] : [], refresh, refresh);

  if (q.isPending) return <Skeleton lines={8} label="Loading provider" />;
  if (q.isError)
    return (
      <LoadError error={q.error} onRetry={() => q.refetch()} notFound="Provider not found">
        <p>
          This provider is not on Carebook, or no longer takes bookings here.{' '}
          <Link to={lastSearch ? `/search?${lastSearch}` : '/search'}>Find another provider</Link>.
        </p>
      </LoadError>
    );
  const listing = q.data;
  const services = listing.services.filter((s) => s.active);
  const service = services.find((s) => s.id === serviceId) ?? services[0];
  const address = listing.address;
  const chosenType = patientType ?? (listing.acceptingNewPatients ? 'new' : 'returning');
  const closedToMe = chosenType === 'new' && !listing.acceptingNewPatients;

  return (
    <article className="profile">
      <p className="breadcrumb">
        <Link to={lastSearch ? `/search?${lastSearch}` : '/search'}>‹ Back to results</Link>
      </p>
      <header className="profile-head">
        <Avatar name={listing.name} photoKey={listing.photos[0]?.variants.thumbnail.jpeg ?? null} size={88} />
        <div>
          <h1>{listing.name}</h1>
          <p className="muted">
            {listing.kind === 'clinic' ? 'Clinic' : 'Practitioner'} · {address.city}, {address.country}
          </p>
          <ul className="tags" aria-label="Facts">
            {listing.acceptingNewPatients ? (
              <li className="tag tag-good">Accepting new patients</li>
            ) : (
              <li className="tag tag-closed">Not accepting new patients</li>
            )}
            {listing.specialties.map((code) => (
              <li key={code} className="tag">
                {localSpelling(specialtyName(code))}
              </li>
            ))}
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
                <PatientTypeChoice
                  name={listing.name}
                  accepting={listing.acceptingNewPatients}
                  value={chosenType}
                  onChange={setPatientType}
                />
                <ServiceList services={services} chosen={service.id} onChoose={setServiceId} />
                {closedToMe ? (
                  <p className="muted">
                    New patients cannot book here. Search for another provider who is accepting new patients.
                  </p>
                ) : (
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
                          newPatient: chosenType === 'new',
                        }),
                      );
                      navigate('/book');
                    }}
                  />
                )}
              </>
            ) : (
              <EmptyState title="No bookable services">
                <p>This provider is not taking online bookings right now.</p>
              </EmptyState>
            )}
          </section>
          {service && <WaitlistJoin listing={listing} service={service} />}
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
              <br />
              {countryName(address.country)}
            </address>
            {listing.phone && (
              <p className="profile-phone">
                Phone: <a href={`tel:${listing.phone.replace(/[^+0-9]/g, '')}`}>{listing.phone}</a>
              </p>
            )}
            <Suspense fallback={<Skeleton lines={3} label="Loading map" />}>
              <PinMap
                lat={listing.location.lat}
                lon={listing.location.lon}
                name={listing.name}
                label={`Map: where ${listing.name} is`}
                caption={`The pin marks ${listing.name} at ${address.line1}, ${address.city}.`}
              />
            </Suspense>
            <p className="small">
              <a
                href={`https://www.openstreetmap.org/?mlat=${listing.location.lat}&mlon=${listing.location.lon}#map=17/${listing.location.lat}/${listing.location.lon}`}
              >
                Open the map on OpenStreetMap
              </a>{' '}
              <span className="muted">(for directions)</span>
            </p>
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
