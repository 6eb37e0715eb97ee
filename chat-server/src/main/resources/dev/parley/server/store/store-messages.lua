-- Stores a batch of chat messages atomically and returns their ids (0 for a DM to an unknown user).
-- Running as one script is what makes ids, the fan-out stream and every conversation agree on
-- one order across all server replicas. Data model: docs/data-model.md.
-- KEYS: the users hash, the id counter, the fan-out stream
-- ARGV: events-retention, history-retention, count, then per message: from, to, its conversation
--       key, the peers-set keys of from and of to, text, ts, origin (the per-message keys come
--       from Keys.java with the rest)
local events_max = ARGV[1]
local history_max = ARGV[2]
local n = tonumber(ARGV[3])
local ids = {}
for i = 0, n - 1 do
  local at = 4 + i * 8
  local from, to, conv = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local from_peers, to_peers = ARGV[at + 3], ARGV[at + 4]
  local text, ts, origin = ARGV[at + 5], ARGV[at + 6], ARGV[at + 7]
  if to ~= '*' and redis.call('HEXISTS', KEYS[1], to) == 0 then
    ids[i + 1] = 0
  else
    local id = redis.call('INCR', KEYS[2])
    local entry = id .. '-0'
    if to ~= '*' then
      redis.call('SADD', from_peers, to)
      redis.call('SADD', to_peers, from)
    end
    redis.call('XADD', conv, 'MAXLEN', '~', history_max, entry, 'from', from, 'to', to, 'text', text, 'ts', ts)
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', events_max, entry,
      'from', from, 'to', to, 'text', text, 'ts', ts, 'origin', origin)
    ids[i + 1] = id
  end
end
return ids
