import { DomainError } from '../../domain/errors';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { AuditRepository } from '../audit/audit.repository';

/**
 * Throttles logins per account and per IP over a sliding window. It counts the failures the audit
 * trail already records, so every instance sees the same count with no extra state.
 */
export class LoginThrottle {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly limits: { perAccount: number; perIp: number; windowSeconds: number },
  ) {}

  async check(email: string, ip: string | null): Promise<void> {
    const now = this.clock.now();
    const since = toDbTime(new Date(now.getTime() - this.limits.windowSeconds * 1000));
    const keys: ({ targetId: string } | { ip: string })[] = [{ targetId: email }];
    const limits = [this.limits.perAccount];
    if (ip) {
      keys.push({ ip });
      limits.push(this.limits.perIp);
    }
    for (const [i, key] of keys.entries()) {
      const failures = await this.audit.countSince('auth.login_failed', key, since);
      if (failures >= (limits[i] as number)) {
        const oldest = await this.audit.oldestSince('auth.login_failed', key, since);
        const freeAt =
          (oldest ? fromDbTime(oldest).getTime() : now.getTime()) + this.limits.windowSeconds * 1000;
        const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
        throw new DomainError(
          'TOO_MANY_REQUESTS',
          `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
          { retryAfterSeconds },
        );
      }
    }
  }
}
