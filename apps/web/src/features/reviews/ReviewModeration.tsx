import type { ModeratedReview } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { plainMessage } from '../../api/problem';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';
import { reviewsApi, stars } from './reviews-api';

function HideForm({ review }: { review: ModeratedReview }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const hide = useMutation({
    mutationFn: () => reviewsApi.hide(review.id, reason),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reviews'] }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    hide.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="inline-form">
      <label htmlFor={`${id}-reason`}>Reason for hiding</label>
      <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <button
        type="submit"
        className="btn btn-small btn-secondary"
        disabled={hide.isPending || reason.trim().length < 3}
      >
        Hide review
      </button>
      {hide.isError && (
        <p className="notice notice-error" role="alert">
          {plainMessage(hide.error)}
        </p>
      )}
    </form>
  );
}

/** Admins: every review, newest first; hide one with a reason (audited). */
export function ReviewModeration() {
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['reviews', 'moderation', page],
    queryFn: () => reviewsApi.moderation(page),
  });
  const tz = localZone();
  if (q.isPending) return <Skeleton lines={3} label="Loading reviews" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  const pages = Math.max(1, Math.ceil(q.data.total / q.data.pageSize));
  return (
    <section aria-label="Reviews">
      {q.data.items.length === 0 && <p className="muted">No reviews yet.</p>}
      <ul className="plain-list">
        {q.data.items.map((r) => (
          <li key={r.id} className="card review">
            <p>
              <span role="img" aria-label={`${r.rating} out of 5 stars`}>
                {stars(r.rating)}
              </span>{' '}
              <strong>{r.author}</strong> <span className="muted small">{dateTime(r.createdAt, tz)}</span>
            </p>
            <p>{r.text}</p>
            {r.hidden ? <p className="badge">Hidden: {r.hidden.reason}</p> : <HideForm review={r} />}
          </li>
        ))}
      </ul>
      <nav aria-label="Pages" className="actions">
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={page <= 1}
          onClick={() => setPage(page - 1)}
        >
          Newer
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={page >= pages}
          onClick={() => setPage(page + 1)}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
