import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';
import { reviewKeys, reviewsApi, stars } from './reviews-api';

/** A listing's verified reviews with the average rating, and the practice's replies. */
export function ListingReviews({ providerId }: { providerId: string }) {
  const q = useQuery({
    queryKey: reviewKeys.listing(providerId),
    queryFn: () => reviewsApi.forListing(providerId),
  });
  const tz = localZone();
  return (
    <section aria-labelledby="reviews-title" className="reviews">
      <h2 id="reviews-title">Reviews</h2>
      {q.isPending && <Skeleton lines={2} label="Loading reviews" />}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.data && q.data.summary.count === 0 && <p className="muted">No reviews yet.</p>}
      {q.data && q.data.summary.average !== null && (
        <p data-testid="review-summary">
          <strong>{q.data.summary.average.toFixed(1)}</strong> out of 5 ·{' '}
          {q.data.summary.count === 1 ? '1 verified review' : `${q.data.summary.count} verified reviews`}
        </p>
      )}
      <ul className="plain-list">
        {q.data?.items.map((r) => (
          <li key={r.id} className="review">
            <p>
              <span role="img" aria-label={`${r.rating} out of 5 stars`}>
                {stars(r.rating)}
              </span>{' '}
              <strong>{r.author}</strong>{' '}
              <span className="muted small">
                {r.serviceName} · {dateTime(r.createdAt, tz)}
              </span>
            </p>
            <p>{r.text}</p>
            {r.reply && (
              <blockquote className="muted">
                <strong>Reply from the practice:</strong> {r.reply.text}
              </blockquote>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
