-- Returns the users online on every replica whose heartbeat is younger than the TTL.
-- ARGV: now in ms, TTL in ms
local nodes = redis.call('ZRANGEBYSCORE', 'parley:nodes', tonumber(ARGV[1]) - tonumber(ARGV[2]), '+inf')
if #nodes == 0 then
  return {}
end
local keys = {}
for i, node in ipairs(nodes) do
  keys[i] = 'parley:online:' .. node
end
return redis.call('SUNION', unpack(keys))
