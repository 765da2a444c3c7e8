import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { CardSkeletons, EmptyState, ErrorNotice } from '../../ui/feedback';
import { dateTime, localZone, zoneName } from '../../ui/format';
import './account.css';

export function NotificationsPage() {
  const role = useAppSelector((s) => s.session.user?.role);
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: [...keys.notifications, 'list'], queryFn: () => api.notifications(1) });
  // Once read, its button is gone: focus goes to that notification's heading.
  const list = useRef<HTMLUListElement>(null);
  const [justRead, setJustRead] = useState<string | null>(null);
  const read = useMutation({
    mutationFn: (id: string) => api.markRead(id),
    onSuccess: async (_, id) => {
      await queryClient.invalidateQueries({ queryKey: keys.notifications });
      setJustRead(id);
    },
  });
  useEffect(() => {
    if (!justRead) return;
    list.current?.querySelector<HTMLElement>(`[data-note="${justRead}"] h2`)?.focus();
    setJustRead(null);
  }, [justRead]);
  const tz = localZone();
  return (
    <div className="narrow">
      <h1>Notifications</h1>
      {q.isPending && <CardSkeletons count={3} label="Loading notifications" />}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.data?.items.length === 0 && (
        <EmptyState title="Nothing new">
          <p>Updates about your bookings will appear here.</p>
        </EmptyState>
      )}
      <ul className="card-list" aria-label="Notifications" ref={list}>
        {q.data?.items.map((n) => (
          <li key={n.id} className={`card notification${n.readAt ? '' : ' unread'}`} data-note={n.id}>
            <div>
              <h2 className="h3" tabIndex={-1}>
                {n.title}
              </h2>
              <p>{n.body}</p>
              <p className="muted small">
                Received {dateTime(n.createdAt, tz)}, your time ({zoneName(tz)})
                {role === 'patient' && (
                  <>
                    {' · '}
                    <Link to={`/bookings/${n.bookingId}`}>View booking</Link>
                  </>
                )}
              </p>
            </div>
            {!n.readAt && (
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => read.mutate(n.id)}
                aria-label={`Mark read: ${n.title}`}
              >
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
