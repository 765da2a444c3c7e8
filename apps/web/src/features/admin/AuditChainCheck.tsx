import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { ErrorNotice } from '../../ui/feedback';
import './audit-log.css';

/** "Verify chain": recomputes the audit hash chain on the server and names the first broken link. */
export function AuditChainCheck() {
  const check = useMutation({ mutationFn: () => api.auditVerify() });
  const r = check.data;
  return (
    <div className="audit-chain">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => check.mutate()}
        disabled={check.isPending}
      >
        {check.isPending ? 'Verifying…' : 'Verify the audit chain'}
      </button>
      {r?.ok && (
        <span className="audit-chain-ok" role="status">
          Intact: {r.checked} events verified.
        </span>
      )}
      {r && !r.ok && (
        <span className="audit-chain-broken" role="alert">
          Broken at event #{r.broken?.seq}
          {r.broken?.id ? ` (${r.broken.id})` : ''}: {r.broken?.reason}
        </span>
      )}
      {check.isError && <ErrorNotice error={check.error} onRetry={() => check.mutate()} />}
    </div>
  );
}
