import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { BaseCache, type CacheBackend, type Lookup } from './base';
import { LOOKUP, READ, Script, STORE } from './redis-scripts';

export interface RedisCacheOptions {
  client: Redis;
  /** Every key this cache writes starts with it (e.g. `carebook:cache:`); it must not be empty. */
  keyPrefix: string;
  /** Least lifetime of a token key; stamped tokens also outlive their entries. Default 3600. */
  tokenTtlSeconds?: number;
  /** `close()` disconnects the client. Default false (the client is shared). */
  ownsClient?: boolean;
}

export interface RedisCacheConnectOptions extends Omit<RedisCacheOptions, 'client' | 'ownsClient'> {
  url: string;
  /** Merged over the defaults: fail fast (no offline queue, one retry) and reconnect forever. */
  redis?: RedisOptions;
}

const read = new Script(READ);
const lookup = new Script(LOOKUP);
const store = new Script(STORE);

const freshBase = () => randomBytes(12).toString('base64url');

/**
 * Layout under the prefix P: `P e:<key>` entry hash, `P k:<key>` key token, `P t:<tag>` tag
 * token, `P a` whole-cache token. Everything has a TTL, so nothing outlives its use. Invalidating
 * a tag deletes one token key. Redis errors are thrown; wrap in `ResilientCache` to degrade.
 */
class RedisBackend implements CacheBackend {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly tokenTtlMs: number;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: RedisCacheOptions) {
    if (!options.keyPrefix) throw new Error('RedisCache needs a non-empty keyPrefix');
    this.client = options.client;
    this.prefix = options.keyPrefix;
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 3600) * 1000;
    this.ownsClient = options.ownsClient ?? false;
  }

  async read(key: string): Promise<string | undefined> {
    const json = await read.run(this.client, [this.entry(key)], []);
    return typeof json === 'string' ? json : undefined;
  }

  async lookup(key: string, tags: readonly string[]): Promise<Lookup> {
    const reply = (await lookup.run(
      this.client,
      [this.entry(key), ...this.tokenKeys(key, tags)],
      [this.tokenTtlMs, freshBase()],
    )) as [number, ...string[]];
    const [hit, ...rest] = reply;
    if (hit === 1) return { hit: true, json: rest[0] ?? 'null' };
    return { hit: false, snapshot: rest };
  }

  async store(
    key: string,
    json: string,
    ttlMs: number,
    tags: readonly string[],
    expected?: readonly string[],
  ): Promise<boolean> {
    const mode = expected ? 'if' : 'set';
    const tokenTtl = Math.max(ttlMs, this.tokenTtlMs);
    const args = [json, ttlMs, tokenTtl, mode, freshBase(), ...(expected ?? [])];
    const stored = await store.run(this.client, [this.entry(key), ...this.tokenKeys(key, tags)], args);
    return stored === 1;
  }

  async remove(key: string): Promise<void> {
    await this.client.del(this.entry(key), `${this.prefix}k:${key}`);
  }

  async rotateTag(tag: string): Promise<void> {
    await this.client.del(`${this.prefix}t:${tag}`);
  }

  async rotateAll(): Promise<void> {
    await this.client.del(`${this.prefix}a`);
  }

  async close(): Promise<void> {
    if (!this.ownsClient || this.closed) return; // closing twice is fine
    this.closed = true;
    const { client } = this;
    if (client.status === 'ready') {
      await client.quit();
    } else if (client.status === 'connecting' || client.status === 'connect') {
      const ended = new Promise((resolve) => client.once('end', resolve));
      client.disconnect();
      await ended;
    } else {
      client.disconnect(); // waiting, closed or between reconnects: nothing left to wait for
    }
  }

  private entry(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  /** [key, whole cache, ...tags]: the order of `Lookup.snapshot`. */
  private tokenKeys(key: string, tags: readonly string[]): string[] {
    return [`${this.prefix}k:${key}`, `${this.prefix}a`, ...tags.map((tag) => `${this.prefix}t:${tag}`)];
  }
}

export class RedisCache extends BaseCache {
  constructor(options: RedisCacheOptions) {
    super(new RedisBackend(options));
  }

  /** Connects (rejecting if Redis is unreachable, so a bad URL fails start-up) and owns the client. */
  static async connect(options: RedisCacheConnectOptions): Promise<RedisCache> {
    const { url, redis, ...rest } = options;
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      ...redis,
    });
    client.on('error', () => {}); // surfaced by the failing commands; avoids "unhandled error event"
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw err;
    }
    return new RedisCache({ ...rest, client, ownsClient: true });
  }
}
