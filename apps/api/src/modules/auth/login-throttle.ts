import { DomainError } from '../../domain/errors';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { AuditRepository } from '../audit/audit.repository';

export interface ThrottleLimits {
  /** Failures for one account from one IP before delays start. */
  perAccount: number;
  /** Failures from one IP over all accounts before delays start (credential spraying). */
  perIp: number;
  windowSeconds: number;
  delayBaseSeconds?: number;
  delayMaxSeconds?: number;
}

/**
 * Slows password guessing down without letting anyone lock a user out. Failures are counted per
 * account *and* IP (so a stranger's failures never touch the owner signing in from elsewhere) and
 * per IP over all accounts; past the free attempts each further attempt must wait a delay that
 * doubles with every failure (base × 2^n, capped), counted from the last failure. A success from
 * that IP resets the account's count. It reads the failures the audit trail already records, so
 * every instance sees the same count with no extra state.
 */
export class LoginThrottle {
  private readonly base: number;
  private readonly max: number;

  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits,
  ) {
    this.base = limits.delayBaseSeconds ?? 2;
    this.max = limits.delayMaxSeconds ?? limits.windowSeconds;
  }

  /** The delay after `failures` failures with `free` free attempts: 0 while within them. */
  delayFor(failures: number, free: number): number {
    if (failures < free) return 0;
    return Math.min(this.max, this.base * 2 ** Math.min(30, failures - free));
  }

  /**
   * `account` lists the ids failures of this account are recorded under: the keyed hash of the
   * typed address under each configured key (a failure recorded before a key rotation still counts).
   */
  async check(account: readonly string[], ip: string | null, userId: string | null = null): Promise<void> {
    const now = this.clock.now();
    let since = toDbTime(new Date(now.getTime() - this.limits.windowSeconds * 1000));
    if (userId) {
      const [lastSuccess] = await this.audit.recentAt(
        'auth.login_succeeded',
        { targetId: userId, ip },
        since,
        1,
      );
      if (lastSuccess && lastSuccess > since) since = lastSuccess;
    }
    const cap = this.limits.perAccount + 40;
    const waits = [
      this.waitFor(
        await this.audit.recentAt('auth.login_failed', { targetId: account, ip }, since, cap),
        this.limits.perAccount,
        now,
      ),
    ];
    if (ip) {
      const windowStart = toDbTime(new Date(now.getTime() - this.limits.windowSeconds * 1000));
      const sprayCap = this.limits.perIp + 40;
      waits.push(
        this.waitFor(
          await this.audit.recentAt('auth.login_failed', { ip }, windowStart, sprayCap),
          this.limits.perIp,
          now,
        ),
      );
    }
    const retryAfterSeconds = Math.max(...waits);
    if (retryAfterSeconds > 0)
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        `Too many failed sign-in attempts from here. Try again in ${retryAfterSeconds} second(s).`,
        { retryAfterSeconds },
      );
  }

  /** Seconds still to wait, given failure times (newest first). */
  private waitFor(failures: string[], free: number, now: Date): number {
    const delay = this.delayFor(failures.length, free);
    if (delay === 0 || !failures[0]) return 0;
    const until = fromDbTime(failures[0]).getTime() + delay * 1000;
    return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
  }
}
