-- Registers a user name unless it, or the same name in another case, is taken: atomic, so two
-- replicas registering `alice` and `Alice` at the same moment cannot both succeed.
-- A new account's read positions start at the newest id handed out: what was said before it
-- existed is history, not unread (see unread.lua).
-- KEYS: parley:users, parley:names, the user's read positions, the id sequence
-- ARGV: the name, its lowercase form (the field of parley:names), the password hash
-- Returns '' when it registered the name, else the name already registered that holds it.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return ARGV[1]
end
local holder = redis.call('HGET', KEYS[2], ARGV[2])
if holder and holder ~= ARGV[1] and redis.call('HEXISTS', KEYS[1], holder) == 1 then
  return holder
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], ':floor', redis.call('GET', KEYS[4]) or '0')
return ''
