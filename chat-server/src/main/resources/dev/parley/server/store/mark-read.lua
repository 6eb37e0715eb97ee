-- One user has been shown a conversation up to a message id: the position only moves forward, is
-- capped at the newest id handed out, and is kept only for a conversation that exists, so the hash
-- holds at most one field per conversation of the user.
-- KEYS: the user's read positions (hash), the conversation stream, the id sequence
-- ARGV: conversation name (the field), message id
if redis.call('EXISTS', KEYS[2]) == 0 then
    return 0
end
local id = math.min(tonumber(ARGV[2]), tonumber(redis.call('GET', KEYS[3]) or '0'))
local read = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if id <= read then
    return 0
end
redis.call('HSET', KEYS[1], ARGV[1], id)
return 1
