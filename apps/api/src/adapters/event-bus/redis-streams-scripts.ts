/**
 * Lua for the Redis Streams bus's bookkeeping (leases and liveness); each runs atomically and
 * takes the time from the server (`TIME`), so instances' clocks never have to agree.
 */

/** `now` in ms from the server's clock. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Registers an instance as alive and lists the instances that stopped heartbeating.
 * KEYS: instances zset. ARGV: instance id, ttl ms. Returns the ids of dead instances (not removed:
 * the caller removes each after cleaning up its groups).
 */
export const HEARTBEAT = `${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
`;

/**
 * One balancing round of a 'once' group. KEYS: members zset, then one lease key per partition.
 * ARGV: instance id, lease ms, first partition to try (spreads instances over partitions).
 * Heartbeats the member, forgets members silent for a lease, renews this member's leases and
 * takes free ones until it holds its share, ceil(partitions / live members).
 * Returns {share, partition...} of the partitions this member holds now (0-based).
 */
export const BALANCE = `${NOW}
local me, leaseMs, first = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, me)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - leaseMs)
redis.call('PEXPIRE', KEYS[1], leaseMs * 10)
local partitions = #KEYS - 1
local share = math.ceil(partitions / redis.call('ZCARD', KEYS[1]))
local held, out = 0, {}
local mine = {}
for i = 0, partitions - 1 do
  local key = KEYS[i + 2]
  if redis.call('GET', key) == me then
    redis.call('PEXPIRE', key, leaseMs)
    mine[i] = true
    held = held + 1
  end
end
for j = 0, partitions - 1 do
  local i = (first + j) % partitions
  if held >= share then break end
  if not mine[i] and redis.call('SET', KEYS[i + 2], me, 'NX', 'PX', leaseMs) then
    mine[i] = true
    held = held + 1
  end
end
out[1] = share
for i = 0, partitions - 1 do
  if mine[i] then out[#out + 1] = i end
end
return out
`;

/** KEYS: lease key. ARGV: instance id. Deletes the lease if this instance holds it. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
