-- Replaces a replica's set of online users and renews its heartbeat (used to repair the set).
-- KEYS: the replica's online set, the replicas' heartbeat index
-- ARGV: replica id, now in ms, TTL in seconds, then the user names
redis.call('DEL', KEYS[1])
local chunk = {}
for i = 4, #ARGV do
  chunk[#chunk + 1] = ARGV[i]
  if #chunk == 1000 then
    redis.call('SADD', KEYS[1], unpack(chunk))
    chunk = {}
  end
end
if #chunk > 0 then
  redis.call('SADD', KEYS[1], unpack(chunk))
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
