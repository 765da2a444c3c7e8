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

export const AuditEvent = Type.Object({
  id: Uuid,
  at: DateTime,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
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
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
