import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Databases } from '../../container';
import { pendingMigrations } from '../../db/migrate';
import type { MigrationSetName } from '../../db/migrations';

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('degraded'), Type.Literal('not_ready')]),
  checks: Type.Array(Check),
});

/**
 * A dependency the instance can serve without (cache, event stream): when it is down the instance
 * stays in the load balancer but reports `degraded`, so operators see it.
 */
export interface SoftDependency {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export function healthRoutes(
  app: FastifyInstance,
  dbs: Pick<Databases, 'inventory' | 'bookings' | 'bookingShards'>,
  soft: readonly SoftDependency[] = [],
): void {
  // Every database the instance writes: the inventory, the booking database and its shards
  // (`database:bookings_1`, … for BOOKING_DATABASE_URLS after the first).
  type Probe = { name: string; probe: () => Promise<string[]> };
  const probe = <T>(name: string, db: Kysely<T>, set: MigrationSetName): Probe => ({
    name,
    probe: async () => {
      await sql`select 1`.execute(db);
      return pendingMigrations(db, set);
    },
  });
  const databases: Probe[] = [
    probe('inventory', dbs.inventory.db, 'inventory'),
    probe('bookings', dbs.bookings.db, 'bookings'),
    ...(dbs.bookingShards ?? []).map((d, i) => probe(`bookings_${i + 1}`, d.db, 'bookings')),
  ];
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: databases reachable and migrated (503 otherwise); degraded when a cache or stream is down',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const checks = await Promise.all(
        databases.map(async ({ name, probe }) => {
          try {
            const pending = await probe();
            return pending.length === 0
              ? { name: `database:${name}`, ok: true }
              : { name: `database:${name}`, ok: false, detail: `pending migrations: ${pending.join(', ')}` };
          } catch (err) {
            return { name: `database:${name}`, ok: false, detail: `unreachable: ${(err as Error).message}` };
          }
        }),
      );
      const softChecks = await Promise.all(
        soft.map(async (d) => {
          try {
            const r = await d.check();
            return { name: d.name, ok: r.ok, ...(r.detail ? { detail: r.detail } : {}) };
          } catch (err) {
            return { name: d.name, ok: false, detail: (err as Error).message };
          }
        }),
      );
      const ready = checks.every((c) => c.ok);
      const status = !ready ? 'not_ready' : softChecks.every((c) => c.ok) ? 'ready' : 'degraded';
      return reply.code(ready ? 200 : 503).send({ status, checks: [...checks, ...softChecks] });
    },
  );
}
