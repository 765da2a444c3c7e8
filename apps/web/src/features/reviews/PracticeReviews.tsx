import type { Review } from '@carebook/contracts';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { ErrorNotice } from '../../ui/feedback';
import { reviewKeys, reviewsApi, stars } from './reviews-api';

function ReplyForm({ review }: { review: Review }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => reviewsApi.reply(review.id, text),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reviewKeys.listing(review.providerId) }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <label htmlFor={`${id}-reply`}>Reply to {review.author}</label>
      <textarea
        id={`${id}-reply`}
        rows={2}
        maxLength={2000}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="btn btn-small" disabled={send.isPending || text.trim() === ''}>
        Publish reply
      </button>
      {send.isError && (
        <p className="notice notice-error" role="alert">
          {plainMessage(send.error)}
        </p>
      )}
    </form>
  );
}

function ListingReviewList({ listingId, name }: { listingId: string; name: string }) {
  const q = useQuery({
    queryKey: reviewKeys.listing(listingId),
    queryFn: () => reviewsApi.forListing(listingId),
  });
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data || q.data.items.length === 0) return null;
  return (
    <li>
      <h3>
        {name} · {q.data.summary.average?.toFixed(1)} ({q.data.summary.count})
      </h3>
      <ul className="plain-list">
        {q.data.items.map((r) => (
          <li key={r.id} className="review">
            <p>
              <span role="img" aria-label={`${r.rating} out of 5 stars`}>
                {stars(r.rating)}
              </span>{' '}
              <strong>{r.author}</strong>: {r.text}
            </p>
            {r.reply ? <p className="muted">Your reply: {r.reply.text}</p> : <ReplyForm review={r} />}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The practice's reviews across its listings, each with a one-time reply. */
export function PracticeReviews() {
  const q = useQuery({ queryKey: keys.myListings, queryFn: api.myListings });
  // The same queries the lists below read (shared by key): to say so when there is nothing yet.
  const reviews = useQueries({
    queries: (q.data?.items ?? []).map((l) => ({
      queryKey: reviewKeys.listing(l.id),
      queryFn: () => reviewsApi.forListing(l.id),
    })),
  });
  const none = q.isSuccess && reviews.every((r) => r.isSuccess && r.data.items.length === 0);
  return (
    <section className="card" aria-labelledby="practice-reviews-title">
      <h2 id="practice-reviews-title">Reviews</h2>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {none && (
        <p className="muted">No reviews yet. Patients can review an appointment once it has taken place.</p>
      )}
      <ul className="plain-list">
        {q.data?.items.map((l) => (
          <ListingReviewList key={l.id} listingId={l.id} name={l.name} />
        ))}
      </ul>
    </section>
  );
}
