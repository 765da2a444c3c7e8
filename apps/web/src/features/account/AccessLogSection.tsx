import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';
import { Pager } from '../../ui/Pager';
import { actionLabel, purposeLabel, roleLabel } from '../admin/audit-labels';
import './access-log.css';

const PAGE_SIZE = 10;

/** "Who looked at my data?": every read of the caller's records by staff, providers or admins. */
export function AccessLogSection() {
  const [page, setPage] = useState(1);
  const tz = localZone();
  const q = useQuery({
    queryKey: ['me', 'access-log', page],
    queryFn: () => api.accessLog(page, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="card access-log" aria-labelledby="access-log-title">
      <h2 id="access-log-title">Who looked at your data</h2>
      <p className="muted small">
        Every time clinic staff, a provider or one of our administrators opens your records, it is recorded
        here with the reason. The record cannot be changed afterwards.
      </p>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={3} label="Loading your access log" />
      ) : q.data?.items.length === 0 ? (
        <p className="muted">Nobody else has looked at your data yet.</p>
      ) : (
        <ul className="access-log-list">
          {q.data?.items.map((e) => (
            <li key={`${e.at}-${e.action}-${e.resourceId}`} className="access-log-item">
              <span className="access-log-when">{dateTime(e.at, tz)}</span>
              <span className="access-log-who">
                {e.actorName ?? 'A former user'} <span className="muted">({roleLabel(e.actorRole)})</span>
              </span>
              <span className="access-log-what">{actionLabel(e.action)}</span>
              <span className="access-log-why muted">{purposeLabel(e.purpose)}</span>
            </li>
          ))}
        </ul>
      )}
      {q.data && q.data.total > PAGE_SIZE && (
        <Pager page={page} total={q.data.total} pageSize={PAGE_SIZE} onPage={setPage} />
      )}
    </section>
  );
}
