import type { OperationsOverview } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import './OperationsView.css';

/** Above these, a number is flagged for the operator (the same thresholds as docs/operations.md's alerts). */
export const THRESHOLDS = { outboxAgeSeconds: 60, consumerLagSeconds: 60, hitRatio: 0.5 };

const operationsKey = ['admin', 'operations'] as const;

export function OperationsView({ refreshMs = 15_000 }: { refreshMs?: number }) {
  const q = useQuery({
    queryKey: operationsKey,
    queryFn: () => apiRequest<OperationsOverview>('/api/v1/admin/operations'),
    refetchInterval: refreshMs,
  });
  return (
    <section aria-labelledby="ops-title" className="ops">
      <div className="ops-head">
        <h2 id="ops-title">Operations</h2>
        <button type="button" className="btn btn-small" onClick={() => q.refetch()} disabled={q.isFetching}>
          {q.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="muted">
        This instance&apos;s numbers, as exported at <code>/metrics</code>; refreshed every{' '}
        {Math.round(refreshMs / 1000)} s.
      </p>
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.isPending ? (
        <Skeleton lines={10} label="Loading operations" />
      ) : (
        q.data && <Overview view={q.data} />
      )}
    </section>
  );
}

function Overview({ view }: { view: OperationsOverview }) {
  const { instance } = view;
  return (
    <>
      <p className="muted">Generated {new Date(view.generatedAt).toLocaleString()}</p>
      <h3 id="ops-instance">Instance {instance.id}</h3>
      <dl className="ops-facts" aria-labelledby="ops-instance">
        <Fact term="Up for" value={duration(instance.uptimeSeconds)} />
        <Fact term="Memory (RSS)" value={`${(instance.residentMemoryBytes / 1_048_576).toFixed(0)} MiB`} />
        <Fact term="Event loop lag" value={`${(instance.eventLoopLagSeconds * 1000).toFixed(1)} ms`} />
        <Fact term="WebSocket connections" value={String(instance.websocketConnections)} />
        <Fact term="Requests answered" value={String(instance.httpRequests)} />
        <Fact
          term="Server errors (5xx)"
          value={String(instance.httpServerErrors)}
          flagged={instance.httpServerErrors > 0}
        />
      </dl>
      <Table caption="Dependencies" head={['Dependency', 'State', 'Detail']}>
        {instance.dependencies.map((d) => (
          <tr key={d.name}>
            <th scope="row">{d.name}</th>
            <td>
              <State ok={d.ok} good="Up" bad="Down" />
            </td>
            <td>{d.detail ?? ''}</td>
          </tr>
        ))}
      </Table>
      <Table caption="Outbox" head={['Database', 'Unpublished events', 'Oldest waiting']}>
        {view.outbox.map((o) => (
          <tr key={o.database}>
            <th scope="row">{o.database}</th>
            <td>{o.backlog}</td>
            <td>
              <State
                ok={o.oldestAgeSeconds <= THRESHOLDS.outboxAgeSeconds}
                good={o.backlog === 0 ? 'Empty' : duration(o.oldestAgeSeconds)}
                bad={`${duration(o.oldestAgeSeconds)} (stuck?)`}
              />
            </td>
          </tr>
        ))}
      </Table>
      <Table caption="Event consumers" head={['Consumer', 'Lag of last event', 'Handled', 'Failed']}>
        {view.consumers.map((c) => (
          <tr key={c.consumer}>
            <th scope="row">{c.consumer}</th>
            <td>
              {c.lagSeconds === null ? (
                'No events yet'
              ) : (
                <State
                  ok={c.lagSeconds <= THRESHOLDS.consumerLagSeconds}
                  good={duration(c.lagSeconds)}
                  bad={`${duration(c.lagSeconds)} (lagging)`}
                />
              )}
            </td>
            <td>{c.handled}</td>
            <td>{c.failed > 0 ? <State ok={false} good="" bad={String(c.failed)} /> : 0}</td>
          </tr>
        ))}
      </Table>
      <Table caption="Cache" head={['Layer', 'Hits', 'Misses', 'Hit ratio']}>
        {view.cache.map((c) => (
          <tr key={c.layer}>
            <th scope="row">{c.layer}</th>
            <td>{c.hits}</td>
            <td>{c.misses}</td>
            <td>
              {c.hitRatio === null ? (
                'No reads yet'
              ) : (
                <State
                  ok={c.hitRatio >= THRESHOLDS.hitRatio}
                  good={percent(c.hitRatio)}
                  bad={`${percent(c.hitRatio)} (low)`}
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
      <Table caption="Scheduled jobs" head={['Job', 'Lease holder', 'Runs here', 'Failures here']}>
        {view.jobs.map((j) => (
          <tr key={j.job}>
            <th scope="row">{j.job}</th>
            <td>{j.holder ?? 'Nobody (next tick takes it)'}</td>
            <td>{j.runs}</td>
            <td>{j.failures > 0 ? <State ok={false} good="" bad={String(j.failures)} /> : 0}</td>
          </tr>
        ))}
      </Table>
      <Table caption="Circuit breakers" head={['Breaker', 'State']} empty="No circuit breakers reported.">
        {view.breakers.map((b) => (
          <tr key={b.breaker}>
            <th scope="row">{b.breaker}</th>
            <td>
              <State
                ok={b.state === 'closed'}
                good="Closed"
                bad={b.state === 'open' ? 'Open' : 'Half-open'}
              />
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Fact({ term, value, flagged = false }: { term: string; value: string; flagged?: boolean }) {
  return (
    <div className={flagged ? 'ops-fact ops-flagged' : 'ops-fact'}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Table({
  caption,
  head,
  children,
  empty = 'Nothing to show yet.',
}: {
  caption: string;
  head: string[];
  children: React.ReactNode[];
  empty?: string;
}) {
  return (
    <div className="table-wrap ops-table">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {children.length > 0 ? (
            children
          ) : (
            <tr>
              <td colSpan={head.length} className="muted">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A state in words (never colour alone), marked as a problem when not ok. */
function State({ ok, good, bad }: { ok: boolean; good: string; bad: string }) {
  return <span className={ok ? 'ops-state ops-ok' : 'ops-state ops-problem'}>{ok ? good : bad}</span>;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
