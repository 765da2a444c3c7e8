import type { AuditRepository } from './audit.repository';
import { type BrokenLink, checkLink, GENESIS_HASH } from './audit-chain';

export interface ChainReport {
  ok: boolean;
  /** Rows checked. */
  checked: number;
  /** Sequence number and hash of the chain head. */
  head: { seq: number; hash: string };
  /** The first broken link, when there is one. */
  broken: BrokenLink | null;
}

/**
 * Walks the audit chain from the first row, recomputing every hash, and reports the first link
 * that does not hold: an altered row, a deleted row, a row inserted around the chain, or a cut
 * tail (the head records the last sequence number and hash).
 */
export async function verifyAuditChain(repo: AuditRepository, pageSize = 1000): Promise<ChainReport> {
  const head = await repo.head();
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  const report = (broken: BrokenLink | null): ChainReport => ({ ok: broken === null, checked, head, broken });
  for (;;) {
    const rows = await repo.chainAfter(previous?.seq ?? 0, pageSize);
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq) };
      const broken = checkLink(row, previous);
      if (broken) return report(broken);
      checked++;
      previous = { seq: row.seq, hash: row.hash };
    }
    if (rows.length < pageSize) break;
  }
  const lastSeq = previous?.seq ?? 0;
  const lastHash = previous?.hash ?? GENESIS_HASH;
  if (head.seq !== lastSeq || head.hash !== lastHash)
    return report({
      seq: lastSeq + 1,
      id: null,
      reason:
        head.seq > lastSeq
          ? `rows ${lastSeq + 1}–${head.seq} are missing: the end of the chain was deleted`
          : 'the chain head does not match the last row',
    });
  const unchained = await repo.unchained();
  if (unchained > 0)
    return report({
      seq: lastSeq + 1,
      id: null,
      reason: `${unchained} row(s) were inserted outside the chain`,
    });
  return report(null);
}
