-- One user is now online on a replica: added to its set, whose heartbeat is renewed with it, so
-- that the user is listed by every replica's who as soon as this returns.
-- KEYS: the replica's online set, the replicas' heartbeat index
-- ARGV: replica id, now in ms, TTL in seconds, user
redis.call('SADD', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
