-- Replaces this replica's set of online users and renews its heartbeat.
-- ARGV: node id, now in ms, TTL in seconds, then the user names
local key = 'parley:online:' .. ARGV[1]
redis.call('DEL', key)
local chunk = {}
for i = 4, #ARGV do
  chunk[#chunk + 1] = ARGV[i]
  if #chunk == 1000 then
    redis.call('SADD', key, unpack(chunk))
    chunk = {}
  end
end
if #chunk > 0 then
  redis.call('SADD', key, unpack(chunk))
end
redis.call('EXPIRE', key, ARGV[3])
redis.call('ZADD', 'parley:nodes', ARGV[2], ARGV[1])
-- forget replicas silent for ten TTLs so the index does not grow forever
redis.call('ZREMRANGEBYSCORE', 'parley:nodes', '-inf', tonumber(ARGV[2]) - 10000 * tonumber(ARGV[3]))
return 1
