import {
  AdminUserQuery,
  AuditChainReport,
  AuditEvent,
  AuditQuery,
  ChangeRoleBody,
  IdParams,
  Page,
  ReasonBody,
  User,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { AdminService } from './admin.service';

const userTarget = { 404: 'No such user', 409: 'Not allowed on this account (e.g. yourself)' };

export function adminRoutes(app: FastifyInstance, admin: AdminService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const docs = (problems: Record<number, string> = {}) => ({ docs: { auth: 'required' as const, problems } });

  r.get(
    '/api/v1/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'List users',
        querystring: AdminUserQuery,
        response: { 200: Page(User) },
      },
      config: docs(),
    },
    async (request) => admin.listUsers(principalOf(request), request.query, metaOf(request)),
  );

  r.post(
    '/api/v1/admin/users/:id/role',
    {
      schema: {
        tags: ['admin'],
        summary: "Change a user's role",
        params: IdParams,
        body: ChangeRoleBody,
        response: { 200: User },
      },
      config: docs(userTarget),
    },
    async (request) =>
      admin.changeRole(principalOf(request), request.params.id, request.body, metaOf(request)),
  );

  r.post(
    '/api/v1/admin/users/:id/suspend',
    {
      schema: {
        tags: ['admin'],
        summary: 'Suspend a user: their tokens stop working at once',
        params: IdParams,
        body: ReasonBody,
        response: { 200: User },
      },
      config: docs(userTarget),
    },
    async (request) =>
      admin.setSuspended(principalOf(request), request.params.id, true, request.body.reason, metaOf(request)),
  );

  r.post(
    '/api/v1/admin/users/:id/unsuspend',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift a suspension',
        params: IdParams,
        body: ReasonBody,
        response: { 200: User },
      },
      config: docs(userTarget),
    },
    async (request) =>
      admin.setSuspended(
        principalOf(request),
        request.params.id,
        false,
        request.body.reason,
        metaOf(request),
      ),
  );

  r.post(
    '/api/v1/admin/users/:id/verify',
    {
      schema: {
        tags: ['admin'],
        summary: 'Verify a provider account',
        params: IdParams,
        response: { 200: User },
      },
      config: docs({ 404: 'No such user', 409: 'Not a provider account' }),
    },
    async (request) => admin.verifyProvider(principalOf(request), request.params.id, metaOf(request)),
  );

  r.get(
    '/api/v1/admin/audit-events',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit trail, newest first',
        querystring: AuditQuery,
        response: { 200: Page(AuditEvent) },
      },
      config: docs(),
    },
    async (request) => admin.auditEvents(principalOf(request), request.query),
  );

  r.get(
    '/api/v1/admin/audit/verify',
    {
      schema: {
        tags: ['admin'],
        summary: 'Verify the audit hash chain; names the first broken link',
        response: { 200: AuditChainReport },
      },
      config: docs(),
    },
    async (request) => admin.verifyAuditChain(principalOf(request)),
  );
}
