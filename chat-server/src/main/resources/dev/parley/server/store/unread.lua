-- What one user has not read: per conversation, the messages from others above the user's read
-- position, counted up to a cap, with the newest few of them.
-- A conversation the user has no position in counts from the user's floor: the newest id when the
-- account was registered, so a new user does not find the whole broadcast history unread. An
-- account from before read positions gets its floor here, at its first unread request.
-- KEYS: the user's read positions (hash), the id sequence, then one conversation stream per conversation
-- ARGV: user, preview size, count cap, then the conversation names (the hash fields), in KEYS order
-- Returns per conversation with unread messages: name, count, read position, {{id, from, to, text, ts}, ...}
local user, preview, cap = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local floor = redis.call('HGET', KEYS[1], ':floor')
if not floor then
    floor = redis.call('GET', KEYS[2]) or '0'
    redis.call('HSET', KEYS[1], ':floor', floor)
end
floor = tonumber(floor)
local out = {}
for i = 3, #KEYS do
    local name = ARGV[i + 1]
    local read = math.max(floor, tonumber(redis.call('HGET', KEYS[1], name) or '0'))
    -- capped scan: a conversation never read holds up to the history retention
    local entries = redis.call('XRANGE', KEYS[i], (read + 1) .. '-0', '+', 'COUNT', cap * 2)
    local count, newest = 0, {}
    for _, e in ipairs(entries) do
        local f = {}
        for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
        if f['from'] ~= user and count < cap then
            count = count + 1
            table.insert(newest, {string.match(e[1], '^(%d+)'), f['from'], f['to'], f['text'], f['ts']})
            if #newest > preview then table.remove(newest, 1) end
        end
    end
    if count > 0 then
        table.insert(out, {name, count, read, newest})
    end
end
return out
