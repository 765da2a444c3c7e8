/** True for a unique-key violation on SQLite (better-sqlite3) or MySQL/MariaDB (mysql2). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY'
  );
}

/**
 * True when a write was refused because its provider's bucket is moving or has moved to another
 * booking database (the `moved_buckets` triggers, migration 20261209T0400-moved-buckets).
 */
export function isBucketMoving(err: unknown): boolean {
  const message =
    (err as { message?: unknown; sqlMessage?: unknown } | null)?.sqlMessage ??
    (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('carebook:bucket-moving');
}
