import { AccessLogEntry, AccessLogQuery, Page } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import { fromDbTime } from '../../ports/clock';
import type { AuditRepository, AuditRow } from './audit.repository';

/** `GET /api/v1/me/access-log`: who looked at the caller's data (GDPR Art. 15), newest first. */
export function auditRoutes(app: FastifyInstance, repo: AuditRepository): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/me/access-log',
    {
      schema: {
        tags: ['account'],
        summary: 'Who accessed my personal data: staff, providers and admins, with purpose',
        querystring: AccessLogQuery,
        response: { 200: Page(AccessLogEntry) },
      },
      config: { docs: { auth: 'required' as const, problems: {} } },
    },
    async (request) => {
      const me = principalOf(request);
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const { rows, total } = await repo.page({ patientId: me.userId }, page, pageSize);
      return { items: await accessLogEntries(repo, rows), page, pageSize, total };
    },
  );
}

/** Audit rows as a patient sees them: who (by name), what, when and why; not the IP. */
export async function accessLogEntries(repo: AuditRepository, rows: AuditRow[]): Promise<AccessLogEntry[]> {
  const names = await repo.namesOf(rows.flatMap((row) => (row.actor_id ? [row.actor_id] : [])));
  return rows.map((row) => ({
    at: fromDbTime(row.at).toISOString(),
    actorName: row.actor_id ? (names.get(row.actor_id) ?? null) : null,
    actorRole: row.actor_role,
    action: row.action,
    resourceType: row.target_type,
    resourceId: row.target_id,
    purpose: row.purpose,
  }));
}
