import type { AuditQuery } from '@carebook/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { dateTime, localZone } from '../../ui/format';
import { Pager } from '../../ui/Pager';
import { AuditChainCheck } from './AuditChainCheck';
import { AuditDetails } from './AuditDetails';
import { actionLabel, purposeLabel, roleLabel } from './audit-labels';
import './audit-log.css';
import './admin.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AuditLog() {
  const [form, setForm] = useState({
    action: '',
    actorId: '',
    targetId: '',
    patientId: '',
    from: '',
    to: '',
  });
  const [applied, setApplied] = useState<AuditQuery>({});
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const query: AuditQuery = { ...applied, page, pageSize: 25 };
  const q = useQuery({
    queryKey: [...keys.audit, query],
    queryFn: () => api.audit(query),
    placeholderData: keepPreviousData,
  });
  const tz = localZone();
  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (form.actorId && !UUID.test(form.actorId.trim()))
      return setError('The actor id is a UUID like 0192…-…; copy it from the Users page.');
    if (form.patientId && !UUID.test(form.patientId.trim()))
      return setError('The patient id is a UUID like 0192…-…; copy it from the Users page.');
    setError(null);
    setPage(1);
    setApplied({
      ...(form.action.trim() ? { action: form.action.trim() } : {}),
      ...(form.actorId.trim() ? { actorId: form.actorId.trim() } : {}),
      ...(form.targetId.trim() ? { targetId: form.targetId.trim() } : {}),
      ...(form.patientId.trim() ? { patientId: form.patientId.trim() } : {}),
      ...(form.from ? { from: new Date(form.from).toISOString() } : {}),
      ...(form.to ? { to: new Date(form.to).toISOString() } : {}),
    });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <AuditChainCheck />
      <form className="filter-bar" onSubmit={apply}>
        <label>
          Action
          <input value={form.action} onChange={set('action')} placeholder="e.g. auth.login" />
        </label>
        <label>
          Actor id
          <input value={form.actorId} onChange={set('actorId')} />
        </label>
        <label>
          Target id
          <input value={form.targetId} onChange={set('targetId')} />
        </label>
        <label>
          Patient id (who looked at their data?)
          <input value={form.patientId} onChange={set('patientId')} />
        </label>
        <label>
          From
          <input type="datetime-local" value={form.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" value={form.to} onChange={set('to')} />
        </label>
        <button type="submit" className="btn btn-small">
          Filter
        </button>
      </form>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={8} label="Loading audit events" />
      ) : q.data?.items.length === 0 ? (
        <p className="muted">No events match these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Whose data</th>
                <th scope="col">Resource</th>
                <th scope="col">Purpose</th>
                <th scope="col">From</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {q.data?.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{dateTime(e.at, tz)}</td>
                  <td>
                    {actionLabel(e.action)}
                    <code className="audit-person muted small">{e.action}</code>
                  </td>
                  <td className="small">
                    <span className="audit-person">
                      {e.actorName ?? (e.actorId ? 'Erased user' : 'System')}
                    </span>
                    <span className="audit-person-role muted">{roleLabel(e.actorRole)}</span>
                  </td>
                  <td className="small">
                    {e.patientId ? (
                      <button
                        type="button"
                        className="link-button"
                        title="Show everything recorded about this person's data"
                        onClick={() => {
                          setForm({ ...form, patientId: e.patientId ?? '' });
                          setPage(1);
                          setApplied({ patientId: e.patientId ?? undefined });
                        }}
                      >
                        {e.patientName ?? 'Erased user'}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="small">
                    {e.targetName !== null ? (
                      <span className="audit-person">{e.targetName}</span>
                    ) : (
                      <>
                        {e.targetType ?? ''}{' '}
                        <span className="muted mono">{e.targetId ? `${e.targetId.slice(0, 8)}…` : ''}</span>
                      </>
                    )}
                  </td>
                  <td className="small">{purposeLabel(e.purpose)}</td>
                  <td className="small mono">{e.ip ?? ''}</td>
                  <td className="small">
                    <AuditDetails details={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.data && <Pager page={page} total={q.data.total} pageSize={25} onPage={setPage} />}
    </section>
  );
}
