import { type Static, type TSchema, Type } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUIDv7 identifier' });
export const DateTime = Type.String({
  format: 'date-time',
  description: 'ISO 8601 date-time with offset',
});
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

export const FieldError = Type.Object({
  path: Type.String({ description: 'JSON pointer to the offending field, e.g. /body/email' }),
  message: Type.String(),
});

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code from the problem registry' }),
    instance: Type.Optional(Type.String()),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(FieldError)),
    currentVersion: Type.Optional(Type.Integer()),
    retryAfterSeconds: Type.Optional(Type.Integer()),
    conflicts: Type.Optional(
      Type.Array(
        Type.Object({
          occurrence: Type.Integer(),
          start: Type.String(),
          reason: Type.String(),
          message: Type.String(),
          alternatives: Type.Array(Type.String()),
        }),
        { description: 'SERIES_CONFLICT: each date of a series that cannot be booked' },
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);
export type Problem = Static<typeof Problem>;

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1 }),
    total: Type.Integer({ minimum: 0 }),
  });
}

export const NoContent = Type.Null({ description: 'No content' });
