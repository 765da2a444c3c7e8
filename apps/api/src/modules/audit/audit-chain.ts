import { createHash } from 'node:crypto';

/** The `prev_hash` of the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every column a chained audit row is hashed over (all but `hash` itself). */
export interface ChainedFields {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  patient_id: string | null;
  purpose: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string;
}

/**
 * SHA-256 (hex) over the canonical serialisation of an audit row, version "v1": a JSON array of
 * the fields in this fixed order. Never change it: rows hashed with it must keep verifying (a new
 * serialisation would be "v2", chosen per row).
 */
export function chainHash(row: ChainedFields): string {
  const canonical = JSON.stringify([
    'v1',
    row.seq,
    row.id,
    row.at,
    row.actor_id,
    row.actor_role,
    row.action,
    row.target_type,
    row.target_id,
    row.patient_id,
    row.purpose,
    row.ip,
    row.user_agent,
    row.request_id,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface BrokenLink {
  seq: number;
  id: string | null;
  reason: string;
}

/**
 * Checks one row against the row before it. Returns why the link is broken, or null. `previous`
 * is null for the first row of the chain.
 */
export function checkLink(
  row: ChainedFields & { hash: string },
  previous: { seq: number; hash: string } | null,
): BrokenLink | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (row.seq !== expectedSeq)
    return {
      seq: expectedSeq,
      id: row.id,
      reason: `row ${expectedSeq} is missing (the next row is ${row.seq}): rows were deleted`,
    };
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (row.prev_hash !== expectedPrev)
    return { seq: row.seq, id: row.id, reason: 'prev_hash does not match the hash of the row before' };
  if (chainHash(row) !== row.hash)
    return { seq: row.seq, id: row.id, reason: 'the row was altered: its content does not match its hash' };
  return null;
}
