-- Returns the users online on every replica whose heartbeat is younger than the TTL.
-- KEYS: the replicas' heartbeat index
-- ARGV: now in ms, TTL in ms, the prefix of a replica's online set (the replica id follows it)
local nodes = redis.call('ZRANGEBYSCORE', KEYS[1], tonumber(ARGV[1]) - tonumber(ARGV[2]), '+inf')
if #nodes == 0 then
  return {}
end
local keys = {}
for i, node in ipairs(nodes) do
  keys[i] = ARGV[3] .. node
end
return redis.call('SUNION', unpack(keys))
