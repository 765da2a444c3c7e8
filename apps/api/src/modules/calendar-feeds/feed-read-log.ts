import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** An unchanged feed polled from the same address is audited again after this long. */
export const FEED_READ_AUDIT_INTERVAL_MS = 60 * 60_000;

/**
 * Decides which calendar-feed reads go to the audit trail. A calendar app polls every 15 minutes;
 * writing each poll would bury the log (and serialise every poll on the audit chain's head row).
 * A read is recorded when its content differs from the last recorded read of that feed URL (a
 * rotated link starts afresh), when it
 * comes from another address (a leaked URL used elsewhere shows at once), or when an hour passed.
 * Kept per instance: with several instances a poll may be recorded once per instance, never less.
 */
export class FeedReadLog {
  private readonly last = new LRUCache<string, { etag: string; ip: string | null; at: number }>({
    max: 10_000,
  });

  /** `token`: the feed's secret; only its hash is kept. */
  shouldRecord(token: string, etag: string, ip: string | null, now: number): boolean {
    const feed = createHash('sha256').update(token).digest('base64url');
    const prev = this.last.get(feed);
    if (prev && prev.etag === etag && prev.ip === ip && now - prev.at < FEED_READ_AUDIT_INTERVAL_MS)
      return false;
    this.last.set(feed, { etag, ip, at: now });
    return true;
  }
}
