import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Lua scripts of the Redis cache; each runs atomically on the server. An entry is a hash: field
 * `v` holds the JSON, every other field is the full name of a token key and the token it was
 * stored under. The entry is live only while every such key still holds that token.
 *
 * The scripts read token keys named inside entries, which are not all declared in KEYS: fine on
 * a single Redis (or Sentinel); on Redis Cluster the key prefix must contain a `{hash tag}`.
 */
const LIVE = `
local function live(entry)
  local f = redis.call('HGETALL', entry)
  local v = false
  for i = 1, #f, 2 do
    if f[i] == 'v' then
      v = f[i + 1]
    elseif redis.call('GET', f[i]) ~= f[i + 1] then
      redis.call('DEL', entry)
      return false
    end
  end
  return v
end
`;

/** KEYS: entry. Returns the JSON or nil. */
export const READ = `${LIVE}
return live(KEYS[1])
`;

/**
 * KEYS: entry, then the token keys to snapshot. ARGV: token TTL (ms), fresh-token base.
 * Returns {1, json} on a hit, else {0, token...} creating the tokens that are missing.
 */
export const LOOKUP = `${LIVE}
local v = live(KEYS[1])
if v then return {1, v} end
local out = {0}
for i = 2, #KEYS do
  local t = redis.call('GET', KEYS[i])
  if not t then
    t = ARGV[2] .. ':' .. i
    redis.call('SET', KEYS[i], t, 'PX', ARGV[1])
  end
  out[i] = t
end
return out
`;

/**
 * KEYS: entry, key token, whole-cache token, tag tokens. ARGV: json, entry TTL (ms), token TTL
 * (ms, at least the entry's), mode ('set' | 'if'), fresh-token base, then in mode 'if' the
 * expected token of KEYS[2..] (KEYS[i] ↔ ARGV[4 + i]). Returns 1 if stored, 0 if refused.
 */
export const STORE = `
if ARGV[4] == 'if' then
  for i = 2, #KEYS do
    if redis.call('GET', KEYS[i]) ~= ARGV[4 + i] then return 0 end
  end
else
  redis.call('DEL', KEYS[2])
end
local fields = {'v', ARGV[1]}
for i = 3, #KEYS do
  local t = redis.call('GET', KEYS[i])
  if t then
    redis.call('PEXPIRE', KEYS[i], ARGV[3], 'GT')
  else
    t = ARGV[5] .. ':' .. i
    redis.call('SET', KEYS[i], t, 'PX', ARGV[3])
  end
  fields[#fields + 1] = KEYS[i]
  fields[#fields + 1] = t
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Runs a script by its SHA1, loading it on the first NOSCRIPT. */
export class Script {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
