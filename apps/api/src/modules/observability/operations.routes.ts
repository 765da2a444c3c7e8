import { OperationsOverview } from '@carebook/contracts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import { assertCan } from '../auth/permissions';
import type { Metrics } from './metrics';
import { operationsOverview } from './operations';

const Readiness = Type.Object({
  checks: Type.Array(
    Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) }),
  ),
});

/** `GET /api/v1/admin/operations`: the operator's view for admins (apps/web admin → Operations). */
export function operationsRoutes(
  app: FastifyInstance,
  metrics: Metrics,
  d: { instanceId: string; now: () => Date },
): void {
  app.get(
    '/api/v1/admin/operations',
    {
      schema: {
        tags: ['admin'],
        summary:
          "This instance's health, outbox, consumers, cache, job leases and breakers (the /metrics numbers)",
        response: { 200: OperationsOverview },
      },
      config: { docs: { auth: 'required' as const, problems: {} } },
    },
    async (request) => {
      assertCan(principalOf(request).role, 'operations.read');
      // The dependency checks are exactly /readyz's.
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      const checks = (ready.json() as typeof Readiness.static).checks ?? [];
      return operationsOverview(metrics, { instanceId: d.instanceId, now: d.now(), dependencies: checks });
    },
  );
}
