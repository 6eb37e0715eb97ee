-- Stores a batch of chat messages atomically and returns, per message, its id and ts (id 0 for a
-- DM to an unknown user, -1 for a client id already used for another message), then the first id
-- it gave out (0 when none), then the fan-out entries between the caller's cursor and that id:
-- what other replicas stored since the caller last delivered, so a busy replica learns of them in
-- the same round trip instead of a read of its own (-1 when not read: no cursor, no new id, or
-- more than the caller's limit). Running as one script is what makes ids, the fan-out stream and every
-- conversation agree on one order across all server replicas, and what makes a send's client id
-- and its message one write: a retry finds either both or neither. Data model: docs/data-model.md.
-- The batch's new messages go into the fan-out stream as one entry, whose id is the first of
-- their (consecutive) ids, with fields n, ts and msgs: the stored messages' pieces one after the
-- other, each piece from, to, text and origin, each as its length in bytes, ':', then its bytes
-- (one field, not four per message: Redis pays per field, about as much as for an entry per
-- message). The server packs each piece: done here, it cost about a microsecond a message.
-- KEYS: the users hash, the id counter, the fan-out stream, then per message (from Keys.java):
--       its conversation, the peers sets of from and of to, and, when the send has a client id,
--       its sent-id key
-- ARGV: events-retention (messages), history-retention, sent-id retention (ms), count, the
--       caller's cursor (the last fan-out id it delivered, -1 for none), the most messages to
--       return before the batch, the batch's ts (ms), then per message:
--       from, to, text, its fan-out piece, the index in KEYS of its conversation key, 1 when it
--       has a sent-id key (else 0)
local events_max = tonumber(ARGV[1])
local history_max = ARGV[2]
local sent_ttl = ARGV[3]
local n = tonumber(ARGV[4])
local cursor = tonumber(ARGV[5])
local before_max = tonumber(ARGV[6])
local ts = ARGV[7]
local first_new = 0
-- the pieces of the fan-out entry's msgs field, filled as messages are stored
local fanout = {}
-- ids come from the counter, read once and written back once: one command per batch, not per message
local next_id = nil
local out = {}
for i = 0, n - 1 do
  local at = 8 + i * 6
  local from, to, text = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local k = tonumber(ARGV[at + 4])
  local conv, from_peers, to_peers = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local sent = ARGV[at + 5] == '1' and KEYS[k + 3] or nil
  local earlier = sent and redis.call('GET', sent)
  -- a pair with a conversation already (or a broadcast) needs no checks and no peers update: the
  -- call that first stored a DM between them found the recipient registered and added each to
  -- the other's peers set, in one atomic script, and neither is ever removed. So from's set
  -- holding to proves all three, in one command instead of three.
  local known = not earlier and (to == '*' or redis.call('SISMEMBER', from_peers, to) == 1)
  if earlier then
    -- a retry of a send already stored: its original id and ts, nothing stored or fanned out;
    -- unless the id came with another message (a client bug): id -1. The original is looked for
    -- in this conversation, where a true retry finds it; a trimmed one cannot be compared.
    local colon = string.find(earlier, ':', 1, true)
    local first_id = string.sub(earlier, 1, colon - 1)
    local same = true
    local found = redis.call('XRANGE', conv, first_id .. '-0', first_id .. '-0')
    if #found == 1 then
      local f = found[1][2]
      local original
      for j = 1, #f, 2 do
        if f[j] == 'text' then original = f[j + 1] end
      end
      same = original == text
    elseif redis.call('EXISTS', conv) == 1 and redis.call('XLEN', conv) > 0 then
      -- a conversation that holds the id's neighbourhood but not the id: another recipient
      local oldest = redis.call('XRANGE', conv, '-', '+', 'COUNT', 1)
      same = tonumber(string.match(oldest[1][1], '^(%d+)')) > tonumber(first_id)
    else
      same = false
    end
    if same then
      out[2 * i + 1] = tonumber(first_id)
      out[2 * i + 2] = tonumber(string.sub(earlier, colon + 1))
    else
      out[2 * i + 1] = -1
      out[2 * i + 2] = 0
    end
  elseif not known and redis.call('HEXISTS', KEYS[1], to) == 0 then
    out[2 * i + 1] = 0
    out[2 * i + 2] = 0
  else
    if next_id == nil then
      next_id = tonumber(redis.call('GET', KEYS[2]) or '0')
      first_new = next_id + 1
    end
    next_id = next_id + 1
    local id = next_id
    local entry = id .. '-0'
    if not known then
      redis.call('SADD', from_peers, to)
      redis.call('SADD', to_peers, from)
    end
    redis.call('XADD', conv, 'MAXLEN', '~', history_max, entry, 'from', from, 'to', to, 'text', text, 'ts', ts)
    fanout[id - first_new + 1] = ARGV[at + 3]
    if sent then
      redis.call('SET', sent, id .. ':' .. ts, 'PX', sent_ttl)
    end
    out[2 * i + 1] = id
    out[2 * i + 2] = tonumber(ts)
  end
end
if next_id ~= nil then
  redis.call('SET', KEYS[2], string.format('%d', next_id))
  -- MINID: keeps the entries holding the last events-retention ids (give or take the one that
  -- straddles the bound, and whole stream nodes more: '~')
  redis.call('XADD', KEYS[3], 'MINID', '~', string.format('%d', math.max(0, next_id - events_max)),
    string.format('%d-0', first_new), 'n', next_id - first_new + 1, 'ts', ts, 'msgs', table.concat(fanout))
end
local before = -1
if cursor >= 0 and first_new > cursor and first_new - 1 - cursor <= before_max then
  if first_new - 1 == cursor then
    before = {}
  else
    before = redis.call('XRANGE', KEYS[3], string.format('%d-0', cursor + 1),
      string.format('%d-0', first_new - 1))
  end
end
out[2 * n + 1] = first_new
out[2 * n + 2] = before
return out
