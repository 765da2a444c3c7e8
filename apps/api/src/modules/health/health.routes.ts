import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Databases } from '../../container';
import type { Db } from '../../db/database';
import { pendingMigrations } from '../../db/migrate';
import type { MigrationSetName } from '../../db/migrations';

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Array(Check),
});

export function healthRoutes(app: FastifyInstance, dbs: Databases): void {
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
        summary: 'Readiness: databases reachable and migrated',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const checks = await Promise.all(
        (Object.entries(dbs) as [MigrationSetName, Db<object>][]).map(async ([name, handle]) => {
          try {
            await sql`select 1`.execute(handle.db);
            const pending = await pendingMigrations(handle.db, name);
            return pending.length === 0
              ? { name: `database:${name}`, ok: true }
              : { name: `database:${name}`, ok: false, detail: `pending migrations: ${pending.join(', ')}` };
          } catch (err) {
            return { name: `database:${name}`, ok: false, detail: `unreachable: ${(err as Error).message}` };
          }
        }),
      );
      const ready = checks.every((c) => c.ok);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
}
