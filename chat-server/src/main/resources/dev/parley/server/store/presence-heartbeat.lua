-- A replica is alive: renews its heartbeat and its online set's expiry. Returns 0 when the set is
-- missing (Redis lost it, or it expired), so that the replica can write it again.
-- KEYS: the replica's online set, the replicas' heartbeat index
-- ARGV: replica id, now in ms, TTL in seconds
local present = redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
-- forget replicas silent for ten TTLs so the index does not grow forever
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[2]) - 10000 * tonumber(ARGV[3]))
return present
