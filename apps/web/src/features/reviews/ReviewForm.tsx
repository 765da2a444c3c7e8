import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, plainMessage } from '../../api/problem';
import { Skeleton } from '../../ui/feedback';
import { reviewKeys, reviewsApi } from './reviews-api';

/** Review a completed visit: rating, text, and whether to show the full name. */
export function ReviewForm({ bookingId, providerId }: { bookingId: string; providerId: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState(0);
  const [text, setText] = useState('');
  const [fullName, setFullName] = useState(false);
  const mine = useQuery({
    queryKey: reviewKeys.mine(bookingId),
    queryFn: () => reviewsApi.mine(bookingId),
    retry: false,
  });
  const send = useMutation({
    mutationFn: () => reviewsApi.create(bookingId, { rating, text, showFullName: fullName }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reviewKeys.listing(providerId) }),
  });
  const notYet = mine.error instanceof ApiError && mine.error.status === 404;
  if (mine.isPending) return <Skeleton lines={2} label="Loading your review" />;
  if (mine.data)
    return (
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Your review</h2>
        <p>
          {mine.data.rating} out of 5 · “{mine.data.text}” — published as {mine.data.author}
        </p>
        {mine.data.reply && <p className="muted">Reply from the practice: {mine.data.reply.text}</p>}
      </section>
    );
  if (!notYet) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  if (send.isSuccess)
    return (
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Your review</h2>
        <p className="notice notice-ok" role="status">
          Thank you: your review is published as “{send.data.author}”.
        </p>
      </section>
    );
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Review this visit</h2>
      <form onSubmit={onSubmit}>
        <fieldset>
          <legend>Rating</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n}>
              <input
                type="radio"
                name={`${id}-rating`}
                value={n}
                checked={rating === n}
                onChange={() => setRating(n)}
              />{' '}
              {n} {n === 1 ? 'star' : 'stars'}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-text`}>Your review</label>
        <textarea
          id={`${id}-text`}
          value={text}
          maxLength={2000}
          rows={4}
          onChange={(e) => setText(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={fullName} onChange={(e) => setFullName(e.target.checked)} /> Show my
          full name (otherwise first name and initial)
        </label>
        <div className="actions">
          <button
            type="submit"
            className="btn"
            disabled={send.isPending || rating === 0 || text.trim() === ''}
          >
            Publish review
          </button>
        </div>
      </form>
      {send.isError && (
        <p className="notice notice-error" role="alert">
          {plainMessage(send.error)}
        </p>
      )}
    </section>
  );
}
