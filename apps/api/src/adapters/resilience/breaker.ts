import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { DomainError } from '../../domain/errors';

/** How one outside dependency is guarded: a per-call timeout and a consecutive-failure breaker. */
export interface BreakerOptions {
  /** Each call fails after this long (well under the request budget), whether or not it finishes. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one half-open probe call is let through. */
  halfOpenAfterMs: number;
}

export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

export interface BreakerState {
  name: string;
  state: BreakerStateName;
  /** Calls refused without trying (open circuit), timeouts and failures since start. */
  rejected: number;
  timeouts: number;
  failures: number;
}

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The dependency did not answer usefully: its circuit is open, the call timed out, or it failed
 * at the transport/server level. Callers with a fallback (search) catch this; everyone else lets
 * it become a 503 with Retry-After (it is a DomainError with SERVICE_UNAVAILABLE).
 */
export class DependencyUnavailableError extends DomainError {
  constructor(
    readonly dependency: string,
    readonly reason: 'open' | 'timeout' | 'failed',
    retryAfterSeconds: number,
    override readonly cause?: unknown,
  ) {
    super(
      'SERVICE_UNAVAILABLE',
      reason === 'open'
        ? `${dependency} is unavailable right now; try again shortly.`
        : reason === 'timeout'
          ? `${dependency} did not answer in time; try again shortly.`
          : `${dependency} failed; try again shortly.`,
      { retryAfterSeconds },
    );
  }
}

/**
 * Whether an error says "the dependency is unwell" (counts towards opening the circuit) rather
 * than "this request was wrong" (a declined card, a 404, a bad query): client errors (4xx other
 * than 408/429), DomainErrors and named validation errors do not count.
 */
export function isDependencyFailure(err: unknown): boolean {
  if (err instanceof DependencyUnavailableError) return true;
  if (err instanceof DomainError) return false;
  if (!(err instanceof Error)) return true;
  if (['SearchQueryError', 'InvalidBlobKeyError', 'WebhookSignatureError'].includes(err.name)) return false;
  const e = err as Error & {
    statusCode?: unknown;
    status?: unknown;
    responseCode?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = [e.statusCode, e.status, e.$metadata?.httpStatusCode].find((s) => typeof s === 'number');
  if (typeof status === 'number') return !(status >= 400 && status < 500 && status !== 408 && status !== 429);
  // SMTP: a permanent 5xx reply about the message or recipient is not an outage.
  if (typeof e.responseCode === 'number') return e.responseCode < 500 || e.responseCode === 421;
  return true;
}

/** One guarded dependency. `run` never takes much longer than `timeoutMs`. */
export class DependencyBreaker {
  private readonly breaker;
  private readonly policy;
  private readonly counters = { rejected: 0, timeouts: 0, failures: 0 };

  constructor(
    readonly name: string,
    readonly options: BreakerOptions,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((err) => isDependencyFailure(err)),
      {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.failureThreshold),
      },
    );
    // Aggressive: the caller is released at the deadline even if the client library keeps
    // waiting (its own, longer timeout then cleans up); the signal aborts what supports it.
    this.policy = wrap(this.breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  get state(): BreakerStateName {
    return STATE_NAMES[this.breaker.state];
  }

  snapshot(): BreakerState {
    return { name: this.name, state: this.state, ...this.counters };
  }

  /** Seconds until a probe may go through: what Retry-After says while the circuit is open. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.halfOpenAfterMs / 1000));
  }

  async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(({ signal }) => fn(signal));
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.counters.rejected++;
        throw new DependencyUnavailableError(this.name, 'open', this.retryAfterSeconds, err);
      }
      if (err instanceof TaskCancelledError) {
        this.counters.timeouts++;
        throw new DependencyUnavailableError(this.name, 'timeout', this.retryAfterSeconds, err);
      }
      if (isDependencyFailure(err)) {
        this.counters.failures++;
        throw new DependencyUnavailableError(this.name, 'failed', this.retryAfterSeconds, err);
      }
      throw err;
    }
  }
}

/** Every breaker of one app instance, for /readyz (and the metrics gauge). */
export class BreakerRegistry {
  private readonly breakers = new Map<string, DependencyBreaker>();

  constructor(private readonly defaults: Record<string, BreakerOptions>) {}

  /** The breaker of `name`, created on first use with its configured options. */
  get(name: string): DependencyBreaker {
    let b = this.breakers.get(name);
    if (!b) {
      const options = this.defaults[name];
      if (!options) throw new Error(`no breaker options for ${name}`);
      b = new DependencyBreaker(name, options);
      this.breakers.set(name, b);
    }
    return b;
  }

  states(): BreakerState[] {
    return [...this.breakers.values()].map((b) => b.snapshot());
  }
}

/** The breaker states of an app instance: `breakerStates(services.breakers)`. */
export const breakerStates = (registry: BreakerRegistry): BreakerState[] => registry.states();
