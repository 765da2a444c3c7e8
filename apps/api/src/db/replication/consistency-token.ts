import { formatGtidPosition, type GtidPosition, mergeGtidPositions, parseGtidPosition } from './gtid';

/**
 * The read-your-writes token a client carries (`Carebook-Consistency` header): per logical
 * database, the primary's GTID position right after the client's last write there, e.g.
 * `inventory=0-1-105;bookings=0-1-57`. Not a secret and not personal: positions of a log.
 */
export type LogicalDatabase = 'inventory' | 'bookings';
export type ConsistencyToken = ReadonlyMap<LogicalDatabase, GtidPosition>;

export const CONSISTENCY_HEADER = 'carebook-consistency';
const NAMES: readonly LogicalDatabase[] = ['inventory', 'bookings'];
const MAX_LENGTH = 1024;

/**
 * The token from a request header; unknown, malformed or oversized parts are dropped (a stale
 * or foreign token must never fail a request: the read just goes where it would without one).
 */
export function parseConsistencyToken(header: string | undefined): ConsistencyToken {
  const out = new Map<LogicalDatabase, GtidPosition>();
  if (!header || header.length > MAX_LENGTH) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim() as LogicalDatabase;
    if (eq < 0 || !NAMES.includes(name)) continue;
    const pos = parseGtidPosition(part.slice(eq + 1));
    if (pos && pos.size > 0) out.set(name, pos);
  }
  return out;
}

export function formatConsistencyToken(token: ConsistencyToken): string {
  return NAMES.filter((n) => token.get(n)?.size)
    .map((n) => `${n}=${formatGtidPosition(token.get(n) as GtidPosition)}`)
    .join(';');
}

/** Both tokens' positions, the later one per database and domain. */
export function mergeConsistencyTokens(a: ConsistencyToken, b: ConsistencyToken): ConsistencyToken {
  const out = new Map(a);
  for (const [name, pos] of b) {
    const have = out.get(name);
    out.set(name, have ? mergeGtidPositions(have, pos) : pos);
  }
  return out;
}
