import type { Role, User, UserStatus } from '@carebook/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { ErrorNotice, Skeleton, StatusBadge } from '../../ui/feedback';
import { Pager } from '../../ui/Pager';
import { ReasonForm, useFocusBackWhenClosed } from './ReasonForm';
import './admin.css';

function UserRow({ u, self }: { u: User; self: boolean }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const actionButton = useFocusBackWhenClosed(asking);
  const done = () => queryClient.invalidateQueries({ queryKey: keys.adminUsers });
  const role = useMutation({ mutationFn: (r: Role) => api.changeRole(u.id, r), onSuccess: done });
  const suspend = useMutation({
    mutationFn: (reason: string) => api.suspendUser(u.id, u.status === 'active', reason),
    onSuccess: () => {
      setAsking(false);
      done();
    },
  });
  const action = u.status === 'active' ? 'Suspend' : 'Reinstate';
  const verify = useMutation({ mutationFn: () => api.verifyUser(u.id), onSuccess: done });
  const error = role.error ?? suspend.error ?? verify.error;
  return (
    <tr>
      <td>
        <strong>{u.displayName}</strong>
        <br />
        <span className="muted small">{u.email}</span>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`role-${u.id}`}>
          Role of {u.displayName}
        </label>
        <select
          id={`role-${u.id}`}
          value={u.role}
          disabled={self || role.isPending}
          onChange={(e) => role.mutate(e.target.value as Role)}
        >
          <option value="patient">Patient</option>
          <option value="provider">Provider</option>
          <option value="admin">Admin</option>
          {u.role === 'staff' && <option value="staff">Staff</option>}
        </select>
      </td>
      <td>
        <StatusBadge status={u.status} />
        {u.role === 'provider' &&
          (u.verified ? (
            <span className="badge badge-confirmed">Verified</span>
          ) : (
            <span className="badge badge-pending">Unverified</span>
          ))}
      </td>
      <td>
        <div className="row-actions">
          {u.role === 'provider' && !u.verified && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => verify.mutate()}
              aria-label={`Verify ${u.displayName}`}
            >
              Verify
            </button>
          )}
          {!self && !asking && (
            <button
              ref={actionButton}
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => setAsking(true)}
              aria-label={`${action} ${u.displayName}`}
            >
              {action}
            </button>
          )}
          {asking && (
            <ReasonForm
              confirmLabel={action}
              busy={suspend.isPending}
              onConfirm={(reason) => suspend.mutate(reason)}
              onCancel={() => setAsking(false)}
            />
          )}
          {error && (
            <p className="field-error" role="alert">
              {plainMessage(error)}
            </p>
          )}
        </div>
      </td>
    </tr>
  );
}

export function UsersAdmin() {
  const me = useAppSelector((s) => s.session.user);
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<{ q: string; role: Role | ''; status: UserStatus | '' }>({
    q: '',
    role: '',
    status: '',
  });
  const [page, setPage] = useState(1);
  const query = {
    page,
    pageSize: 20,
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.role ? { role: filters.role } : {}),
    ...(filters.status ? { status: filters.status } : {}),
  };
  const q = useQuery({
    queryKey: [...keys.adminUsers, query],
    queryFn: () => api.adminUsers(query),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form
        className="filter-bar"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setFilters({ ...filters, q: text.trim() });
        }}
      >
        <label>
          Name or e-mail
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Role
          <select
            value={filters.role}
            onChange={(e) => {
              setPage(1);
              setFilters({ ...filters, role: e.target.value as Role | '' });
            }}
          >
            <option value="">Any</option>
            <option value="patient">Patient</option>
            <option value="provider">Provider</option>
            <option value="staff">Staff</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <label>
          Status
          <select
            value={filters.status}
            onChange={(e) => {
              setPage(1);
              setFilters({ ...filters, status: e.target.value as UserStatus | '' });
            }}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </label>
        <button type="submit" className="btn btn-small">
          Search
        </button>
      </form>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={6} label="Loading users" />
      ) : q.data && q.data.items.length === 0 ? (
        <p className="muted">No users match.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {q.data?.items.map((u) => (
                <UserRow key={u.id} u={u} self={u.id === me?.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.data && <Pager page={page} total={q.data.total} pageSize={20} onPage={setPage} />}
    </section>
  );
}
