import { type Clock, toDbTime } from '../../ports/clock';
import type { DataKeysRepository } from './data-keys.repository';
import type { Keyring } from './keyring';
import { unwrapDataKey, wrapDataKey } from './privacy.service';

export interface RotationProgress {
  rewrapped: number;
  /** Rows another writer changed between read and update (picked up by the next pass). */
  skipped: number;
  /** Data keys still wrapped under an older KEK after this run (0 = every old KEK is removable). */
  remaining: number;
}

/**
 * Re-wraps every data key under the current KEK, `batchSize` rows at a time. The data keys
 * themselves do not change, so sealed fields stay readable throughout and nothing is re-encrypted;
 * the state lives in the database (`kek_id`), so an interrupted run simply continues. New keys made
 * meanwhile are wrapped under the current KEK already.
 */
export async function rotateDataKeys(
  d: { repo: DataKeysRepository; keyring: Keyring; clock: Clock },
  options: { batchSize?: number; signal?: AbortSignal; onBatch?: (p: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const batchSize = options.batchSize ?? 500;
  const current = d.keyring.current.kid;
  const progress: RotationProgress = { rewrapped: 0, skipped: 0, remaining: 0 };
  for (;;) {
    if (options.signal?.aborted) break;
    const rows = await d.repo.notWrappedUnder(current, batchSize);
    if (rows.length === 0) break;
    let changed = 0;
    for (const row of rows) {
      const key = unwrapDataKey(d.keyring, row);
      const { wrapped, kekId } = wrapDataKey(d.keyring, row.user_id, key);
      if (await d.repo.rewrap(row, wrapped, kekId, toDbTime(d.clock.now()))) {
        progress.rewrapped++;
        changed++;
      } else progress.skipped++;
    }
    options.onBatch?.({ ...progress });
    // Only rows deleted (erased) under our feet were skipped: the next query no longer sees them.
    if (changed === 0 && rows.length < batchSize) break;
  }
  progress.remaining = (await d.repo.kekUsage())
    .filter((u) => u.kekId !== current)
    .reduce((n, u) => n + u.count, 0);
  return progress;
}
