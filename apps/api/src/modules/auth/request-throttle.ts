import { DomainError } from '../../domain/errors';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { AuditRepository } from '../audit/audit.repository';
import type { AuditAction } from '../audit/audit.service';

export interface RequestLimits {
  /** Requests for one target (an account, or an address by its keyed hashes) per window. */
  perTarget: number;
  /** Requests from one IP over all targets per window. */
  perIp: number;
  windowSeconds: number;
}

/**
 * Caps how often an audited request (a password-reset e-mail, a verification resend) may be made
 * for one address and from one IP, over a sliding window. Like the login throttle it counts the
 * rows the audit trail already holds, so every instance shares the count with no extra state.
 * The request is audited whether or not the address has an account, so the answer (and the
 * count) never depends on that.
 */
export class RequestThrottle {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly action: AuditAction,
    private readonly limits: RequestLimits,
  ) {}

  /** `target`: the audit target id, or its candidates (a keyed hash under every configured key). */
  async check(target: string | readonly string[], ip: string | null): Promise<void> {
    const now = this.clock.now();
    const since = toDbTime(new Date(now.getTime() - this.limits.windowSeconds * 1000));
    const waits = [
      this.waitFor(
        await this.audit.recentAt(this.action, { targetId: target }, since, this.limits.perTarget),
        this.limits.perTarget,
        now,
      ),
    ];
    if (ip)
      waits.push(
        this.waitFor(
          await this.audit.recentAt(this.action, { ip }, since, this.limits.perIp),
          this.limits.perIp,
          now,
        ),
      );
    const retryAfterSeconds = Math.max(...waits);
    if (retryAfterSeconds > 0)
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        `Too many requests for this. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
        { retryAfterSeconds },
      );
  }

  /** Seconds until the oldest counted request leaves the window; 0 while under the limit. */
  private waitFor(times: string[], limit: number, now: Date): number {
    const oldest = times[limit - 1];
    if (times.length < limit || !oldest) return 0;
    const until = fromDbTime(oldest).getTime() + this.limits.windowSeconds * 1000;
    return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  }
}
