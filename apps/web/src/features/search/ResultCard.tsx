import type { SearchResultItem } from '@carebook/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../../ui/Avatar';
import { dateTime, localZone, relativeDays, zoneName } from '../../ui/format';
import { distanceAway, localSpelling } from '../../ui/locale';
import './search.css';

/** The name with the matched words marked. */
function highlighted(item: SearchResultItem): ReactNode {
  const h = item.highlights.find((x) => x.field === 'name');
  if (!h?.offsets.length) return item.name;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of h.offsets) {
    if (start > at) parts.push(item.name.slice(at, start));
    parts.push(<mark key={start}>{item.name.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(item.name.slice(at));
  return parts;
}

/** "4.6 ★ (23 reviews)" on screen; "Rated 4.6 out of 5 from 23 reviews" to a screen reader. */
function RatingLine({ average, count }: { average: number; count: number }) {
  const avg = average.toFixed(1);
  const reviews = `${count} ${count === 1 ? 'review' : 'reviews'}`;
  return (
    <p className="result-rating">
      <span aria-hidden="true">
        {avg} ★ ({reviews})
      </span>
      <span className="visually-hidden">
        Rated {avg} out of 5 from {reviews}
      </span>
    </p>
  );
}

export function ResultCard({ item }: { item: SearchResultItem }) {
  const tz = localZone();
  return (
    <li className="card result-card">
      <Avatar name={item.name} photoKey={item.photoThumbnail} />
      <div className="result-body">
        <h3>
          <Link to={`/providers/${item.id}`}>{highlighted(item)}</Link>
        </h3>
        <p className="muted">
          {item.specialties.map((s) => localSpelling(s.name)).join(' · ')}
          <span className="sep" aria-hidden="true">
            {' '}
            ·{' '}
          </span>
          {item.kind === 'clinic' ? 'Clinic' : 'Practitioner'}
        </p>
        <p className="result-meta">
          <span>{item.city}</span>
          {item.distanceKm !== null && <span>{distanceAway(item.distanceKm)}</span>}
        </p>
        {item.rating && <RatingLine average={item.rating.average} count={item.rating.count} />}
        <p className={`result-new ${item.acceptingNewPatients ? 'is-open' : 'is-closed'}`}>
          {item.acceptingNewPatients ? 'Accepting new patients' : 'Not accepting new patients'}
        </p>
      </div>
      <div className="result-next">
        {item.nextAvailableAt ? (
          <>
            <span className="label">Next available</span>
            <strong>{dateTime(item.nextAvailableAt, tz)}</strong>
            {/* In the viewer's zone (results carry no listing zone); the profile says the clinic's. */}
            <span className="muted small">
              {relativeDays(item.nextAvailableAt, tz)}, your time ({zoneName(tz)})
            </span>
          </>
        ) : (
          <span className="muted">No open slots soon</span>
        )}
        <Link
          className="btn btn-small"
          to={`/providers/${item.id}`}
          aria-label={`View ${item.name} and book`}
        >
          View &amp; book
        </Link>
      </div>
    </li>
  );
}
