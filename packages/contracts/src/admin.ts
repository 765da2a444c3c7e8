import { type Static, Type } from '@sinclair/typebox';
import { Role, UserStatus } from './auth';
import { DateTime, PageQuery, Uuid } from './common';

export const AdminUserQuery = Type.Object(
  {
    ...PageQuery,
    role: Type.Optional(Role),
    status: Type.Optional(UserStatus),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'E-mail or name contains' })),
    verified: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AdminUserQuery = Static<typeof AdminUserQuery>;

export const ChangeRoleBody = Type.Object(
  {
    role: Role,
    providerId: Type.Optional(
      Type.Union([Uuid, Type.Null()], { description: 'Required when the role is staff' }),
    ),
  },
  { additionalProperties: false },
);
export type ChangeRoleBody = Static<typeof ChangeRoleBody>;

export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ReasonBody = Static<typeof ReasonBody>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const AuditEvent = Type.Object({
  id: Uuid,
  /** Position in the tamper-evident hash chain. */
  seq: Type.Integer({ minimum: 1 }),
  at: DateTime,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorName: Nullable(Type.String({ description: 'Display name; null when erased or no actor' })),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  targetName: Nullable(
    Type.String({
      description:
        'The person a target stands for, by name: for a failed sign-in the account\'s name, or "Unknown account" when the address typed has none',
    }),
  ),
  patientId: Nullable(Uuid),
  patientName: Nullable(Type.String()),
  purpose: Nullable(Type.String()),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    actorId: Type.Optional(Uuid),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    patientId: Type.Optional(Uuid),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditChainReport = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ minimum: 0, description: 'Rows whose hash was recomputed' }),
  head: Type.Object({ seq: Type.Integer({ minimum: 0 }), hash: Type.String() }),
  broken: Nullable(
    Type.Object({
      seq: Type.Integer({ description: 'Sequence number of the first broken link' }),
      id: Nullable(Type.String()),
      reason: Type.String(),
    }),
  ),
});
export type AuditChainReport = Static<typeof AuditChainReport>;

/** One entry of a patient's own access log: who looked at their data, when and why. */
export const AccessLogEntry = Type.Object({
  at: DateTime,
  actorName: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  action: Type.String(),
  resourceType: Nullable(Type.String()),
  resourceId: Nullable(Type.String()),
  purpose: Nullable(Type.String()),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;

export const AccessLogQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type AccessLogQuery = Static<typeof AccessLogQuery>;
