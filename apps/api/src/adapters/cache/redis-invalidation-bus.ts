import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import {
  decodeInvalidation,
  encodeInvalidation,
  type Invalidation,
  type InvalidationBus,
  type InvalidationHandlers,
} from './invalidation-bus';

export interface RedisInvalidationBusOptions {
  url: string;
  /** The pub/sub channel; every instance of one cache uses the same (e.g. `carebook:cache:inval`). */
  channel: string;
  /** This instance; its own messages are not handed back to it. Default: random. */
  origin?: string;
  /** A barrier that gets no answer within this is a failure (the read then skips L1). Default 500. */
  barrierTimeoutMs?: number;
  redis?: RedisOptions;
}

/**
 * Redis pub/sub with two connections: one publishes, one subscribes. Redis writes replies and
 * pushed messages to a connection in the order it produces them, so a PING on the subscriber
 * connection answers only after every message published before the PING was processed has been
 * delivered on it (and ioredis emits them in order): that is `barrier`. The subscription is made
 * by hand on every (re)connect; until it is confirmed the bus is not `live`. Every drop of the
 * subscriber connection calls `onGap`, because Redis pub/sub does not replay missed messages, and
 * so does the confirmation of the new subscription (entries stored during the gap are suspect too).
 */
export class RedisInvalidationBus implements InvalidationBus {
  readonly origin: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly barrierTimeoutMs: number;
  private handlers: InvalidationHandlers | null = null;
  private subscribed = false;
  /** Grows on every drop of the subscription: a barrier spanning a drop proves nothing. */
  private epoch = 0;
  private closed = false;

  constructor(private readonly options: RedisInvalidationBusOptions) {
    this.origin = options.origin ?? randomBytes(8).toString('hex');
    this.barrierTimeoutMs = options.barrierTimeoutMs ?? 500;
    const base: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, 2000),
      ...options.redis,
    };
    this.publisher = new Redis(options.url, base);
    this.subscriber = new Redis(options.url, {
      ...base,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      connectionName: `carebook-inval-${this.origin}`,
    });
    this.publisher.on('error', () => {}); // surfaced by failing publishes
    this.subscriber.on('error', () => {}); // surfaced as gaps and failed barriers
  }

  get live(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  async start(handlers: InvalidationHandlers): Promise<void> {
    this.handlers = handlers;
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.options.channel) return;
      const decoded = decodeInvalidation(raw);
      if (decoded && decoded.origin !== this.origin) this.handlers?.onMessage(decoded.message);
    });
    this.subscriber.on('close', () => this.dropped());
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.options.channel).then(
        () => {
          // Whatever was cached during the gap (e.g. a local `set`) may have been replaced
          // elsewhere meanwhile: forget it again now that messages flow.
          if (this.epoch > 0) this.handlers?.onGap();
          this.subscribed = true;
        },
        () => this.subscriber.disconnect(true), // try again on a fresh connection
      );
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.waitLive();
  }

  async publish(message: Invalidation): Promise<void> {
    await this.publisher.publish(this.options.channel, encodeInvalidation(this.origin, message));
  }

  async barrier(): Promise<void> {
    if (!this.live) throw new Error('invalidation subscription is not live');
    const epoch = this.epoch;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('invalidation barrier timed out')), this.barrierTimeoutMs);
    });
    try {
      await Promise.race([this.subscriber.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (epoch !== this.epoch) throw new Error('invalidation subscription dropped during the barrier');
  }

  /** Test support: the subscriber connection's name, to kill it from outside. */
  get connectionName(): string {
    return `carebook-inval-${this.origin}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers = null;
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  private dropped(): void {
    if (this.closed) return;
    this.subscribed = false;
    this.epoch++;
    this.handlers?.onGap();
  }

  private async waitLive(): Promise<void> {
    for (let i = 0; i < 200 && !this.live; i++) await new Promise((r) => setTimeout(r, 10));
    if (!this.live) throw new Error('could not subscribe to the invalidation channel');
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
