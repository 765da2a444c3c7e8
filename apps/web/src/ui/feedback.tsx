import type { ReactNode } from 'react';
import { ApiError, plainMessage } from '../api/problem';

export function Skeleton({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label} aria-busy="true">
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
        <div key={i} className="skeleton-line" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function CardSkeletons({ count = 4, label = 'Loading results' }: { count?: number; label?: string }) {
  return (
    <ul className="card-list" role="status" aria-label={label} aria-busy="true">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cards
        <li key={i} className="card skeleton-card">
          <div className="skeleton-avatar" />
          <div className="skeleton-body">
            <div className="skeleton-line" style={{ width: '55%' }} />
            <div className="skeleton-line" style={{ width: '35%' }} />
            <div className="skeleton-line" style={{ width: '70%' }} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{plainMessage(error)}</p>
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({
  title,
  level = 2,
  children,
}: {
  title: string;
  /** 1 when the empty state is the whole page. */
  level?: 1 | 2;
  children?: ReactNode;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="empty">
      <svg aria-hidden="true" viewBox="0 0 48 48" width="48" height="48">
        <circle cx="24" cy="24" r="22" fill="var(--brand-soft)" />
        <path d="M16 25h16M24 17v16" stroke="var(--brand)" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <Heading>{title}</Heading>
      {children}
    </div>
  );
}

/**
 * Whether the API said that what the address names does not exist: a 404, or a 400 whose only
 * complaints are about the path (an id that cannot be one, from a mistyped or truncated link).
 */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 404) return true;
  const errors = error.problem.errors ?? [];
  return error.status === 400 && errors.length > 0 && errors.every((e) => e.path.startsWith('/path/'));
}

/**
 * A page whose main record could not be loaded. When it does not exist, a page that says so and
 * where to go instead (trying again would not help, and the API's wording names URL paths);
 * otherwise the plain error with "Try again".
 */
export function LoadError({
  error,
  onRetry,
  notFound,
  children,
}: {
  error: unknown;
  onRetry?: () => void;
  /** The heading when it does not exist ("Provider not found"). */
  notFound: string;
  /** Where to go instead, shown under that heading. */
  children: ReactNode;
}) {
  if (!isNotFound(error)) return <ErrorNotice error={error} onRetry={onRetry} />;
  return (
    <EmptyState title={notFound} level={1}>
      {children}
    </EmptyState>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const labels: Record<string, string> = {
    pending: 'Pending',
    payment_pending: 'Awaiting payment',
    confirmed: 'Confirmed',
    in_progress: 'In progress',
    completed: 'Completed',
    cancelled: 'Cancelled',
    expired: 'Expired',
    no_show: 'No-show',
    draft: 'Draft',
    published: 'Published',
    suspended: 'Suspended',
    active: 'Active',
  };
  return <span className={`badge badge-${status}`}>{labels[status] ?? status}</span>;
}
