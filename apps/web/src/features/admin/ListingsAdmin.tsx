import type { ListingSummary } from '@carebook/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { ErrorNotice, Skeleton, StatusBadge } from '../../ui/feedback';
import { Pager } from '../../ui/Pager';
import { ReasonForm, useFocusBackWhenClosed } from './ReasonForm';
import './admin.css';

function ListingRow({ l }: { l: ListingSummary }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const actionButton = useFocusBackWhenClosed(asking);
  const suspended = l.status === 'suspended';
  const m = useMutation({
    mutationFn: (reason: string) => api.moderateListing(l.id, suspended ? 'unsuspend' : 'suspend', reason),
    onSuccess: () => {
      setAsking(false);
      queryClient.invalidateQueries({ queryKey: keys.adminListings });
    },
  });
  return (
    <tr>
      <td>
        {l.status === 'published' ? <Link to={`/providers/${l.id}`}>{l.name}</Link> : l.name}
        <br />
        <span className="muted small">
          {l.city}, {l.country}
        </span>
      </td>
      <td>
        <StatusBadge status={l.status} />
      </td>
      <td>
        <div className="row-actions">
          {!asking ? (
            <button
              ref={actionButton}
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => setAsking(true)}
              aria-label={`${suspended ? 'Lift suspension of' : 'Suspend'} ${l.name}`}
            >
              {suspended ? 'Lift suspension' : 'Suspend'}
            </button>
          ) : (
            <ReasonForm
              confirmLabel="Confirm"
              busy={m.isPending}
              onConfirm={(reason) => m.mutate(reason)}
              onCancel={() => setAsking(false)}
            />
          )}
          {m.isError && (
            <p className="field-error" role="alert">
              {plainMessage(m.error)}
            </p>
          )}
        </div>
      </td>
    </tr>
  );
}

export function ListingsAdmin() {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: [...keys.adminListings, status, page],
    queryFn: () => api.allListings(page, status || undefined),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="alist-title">
      <h2 id="alist-title">Listings</h2>
      <div className="filter-bar">
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setPage(1);
              setStatus(e.target.value);
            }}
          >
            <option value="">Any</option>
            <option value="published">Published</option>
            <option value="draft">Draft</option>
            <option value="suspended">Suspended</option>
          </select>
        </label>
      </div>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={6} label="Loading listings" />
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Listing</th>
                <th scope="col">Status</th>
                <th scope="col">Moderation</th>
              </tr>
            </thead>
            <tbody>
              {q.data?.items.map((l) => (
                <ListingRow key={l.id} l={l} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.data && <Pager page={page} total={q.data.total} pageSize={20} onPage={setPage} />}
    </section>
  );
}
