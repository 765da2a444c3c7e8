/**
 * MariaDB GTID positions, pure: a position is one GTID per replication domain
 * (`domain-server-seq`, e.g. `0-1-105,1-3-7`). Within a domain sequence numbers only grow (also
 * across a failover to another server id), so "has the replica reached this position" is a
 * comparison of sequence numbers per domain.
 */
export type GtidPosition = ReadonlyMap<number, { server: number; seq: bigint }>;

const GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
/** At most this many domains in one position (a token from outside is bounded). */
const MAX_DOMAINS = 16;

/** Parses `@@gtid_binlog_pos` / `@@gtid_slave_pos` / a token part; null when malformed. '' = empty. */
export function parseGtidPosition(text: string): GtidPosition | null {
  const out = new Map<number, { server: number; seq: bigint }>();
  const trimmed = text.trim();
  if (trimmed === '') return out;
  const parts = trimmed.split(',');
  if (parts.length > MAX_DOMAINS) return null;
  for (const part of parts) {
    const m = GTID.exec(part.trim());
    if (!m) return null;
    const domain = Number(m[1]);
    const server = Number(m[2]);
    if (domain > 0xffffffff || server > 0xffffffff) return null;
    const seq = BigInt(m[3] as string);
    if (seq >= 2n ** 64n) return null;
    const seen = out.get(domain);
    if (!seen || seen.seq < seq) out.set(domain, { server, seq });
  }
  return out;
}

export function formatGtidPosition(pos: GtidPosition): string {
  return [...pos]
    .sort(([a], [b]) => a - b)
    .map(([domain, g]) => `${domain}-${g.server}-${g.seq}`)
    .join(',');
}

/** True when `at` includes every transaction of `wanted` (each domain at least as far). */
export function reached(wanted: GtidPosition, at: GtidPosition | undefined): boolean {
  for (const [domain, g] of wanted) {
    const have = at?.get(domain);
    if (!have || have.seq < g.seq) return false;
  }
  return true;
}

/** The later of two positions, domain by domain. */
export function mergeGtidPositions(a: GtidPosition, b: GtidPosition): GtidPosition {
  const out = new Map(a);
  for (const [domain, g] of b) {
    const have = out.get(domain);
    if (!have || have.seq < g.seq) out.set(domain, g);
  }
  return out;
}

/** Transactions `at` is behind `target`, summed over domains (0 when it has reached it). */
export function transactionsBehind(target: GtidPosition, at: GtidPosition): number {
  let behind = 0n;
  for (const [domain, g] of target) {
    const have = at.get(domain)?.seq ?? 0n;
    if (have < g.seq) behind += g.seq - have;
  }
  return Number(behind);
}
