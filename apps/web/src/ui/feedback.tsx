import type { ReactNode } from 'react';
import { plainMessage } from '../api/problem';

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

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <svg aria-hidden="true" viewBox="0 0 48 48" width="48" height="48">
        <circle cx="24" cy="24" r="22" fill="var(--brand-soft)" />
        <path d="M16 25h16M24 17v16" stroke="var(--brand)" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <h2>{title}</h2>
      {children}
    </div>
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
