import { type Static, Type } from '@sinclair/typebox';
import { DateTime } from './common';

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

/** The operator's view (admin): the same numbers `/metrics` exports, for one API instance. */
export const OperationsOverview = Type.Object({
  generatedAt: DateTime,
  instance: Type.Object({
    id: Type.String(),
    uptimeSeconds: Type.Number(),
    residentMemoryBytes: Type.Number(),
    eventLoopLagSeconds: Type.Number(),
    websocketConnections: Type.Number(),
    httpRequests: Type.Number({ description: 'Requests answered since start' }),
    httpServerErrors: Type.Number({ description: 'Of which answered with a 5xx' }),
    dependencies: Type.Array(
      Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) }),
    ),
  }),
  outbox: Type.Array(
    Type.Object({ database: Type.String(), backlog: Type.Number(), oldestAgeSeconds: Type.Number() }),
  ),
  consumers: Type.Array(
    Type.Object({
      consumer: Type.String(),
      lagSeconds: Nullable(Type.Number({ description: 'Of the last event handled; null before the first' })),
      handled: Type.Number(),
      failed: Type.Number(),
    }),
  ),
  cache: Type.Array(
    Type.Object({
      layer: Type.String(),
      hits: Type.Number(),
      misses: Type.Number(),
      hitRatio: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'null before any read' })),
    }),
  ),
  jobs: Type.Array(
    Type.Object({
      job: Type.String(),
      holder: Type.Union([Type.String(), Type.Null()], { description: 'Lease holder now (cluster-wide)' }),
      runs: Type.Number({ description: 'Runs on this instance' }),
      failures: Type.Number({ description: 'Failed runs on this instance' }),
    }),
  ),
  breakers: Type.Array(
    Type.Object({
      breaker: Type.String(),
      state: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
    }),
  ),
});
export type OperationsOverview = Static<typeof OperationsOverview>;
