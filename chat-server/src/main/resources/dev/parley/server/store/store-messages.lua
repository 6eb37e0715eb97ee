-- Stores a batch of chat messages atomically and returns their ids (0 for a DM to an unknown user).
-- Running as one script is what makes ids, the fan-out stream and every conversation agree on
-- one order across all server replicas. Data model: docs/data-model.md.
-- ARGV: events-retention, history-retention, count, then per message: from, to, conversation key, text, ts, origin
local events_max = ARGV[1]
local history_max = ARGV[2]
local n = tonumber(ARGV[3])
local ids = {}
for i = 0, n - 1 do
  local at = 4 + i * 6
  local from, to, conv, text, ts, origin = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5]
  if to ~= '*' and redis.call('HEXISTS', 'parley:users', to) == 0 then
    ids[i + 1] = 0
  else
    local id = redis.call('INCR', 'parley:seq')
    local entry = id .. '-0'
    if to ~= '*' then
      redis.call('SADD', 'parley:peers:' .. from, to)
      redis.call('SADD', 'parley:peers:' .. to, from)
    end
    redis.call('XADD', conv, 'MAXLEN', '~', history_max, entry, 'from', from, 'to', to, 'text', text, 'ts', ts)
    redis.call('XADD', 'parley:events', 'MAXLEN', '~', events_max, entry,
      'from', from, 'to', to, 'text', text, 'ts', ts, 'origin', origin)
    ids[i + 1] = id
  end
end
return ids
