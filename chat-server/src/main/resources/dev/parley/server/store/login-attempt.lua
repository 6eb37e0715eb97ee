-- An account as a login attempt finds it, and its failure backoff, kept in Redis so that every
-- replica counts the same failures. Data model: docs/data-model.md.
-- KEYS: parley:users, parley:names, parley:authfail:<name>
-- ARGV: 'check' or 'failed', the name, its lowercase form, failures allowed before a lock,
--       first lock (ms), longest lock (ms), how long failures are remembered after a lock ends (ms)
--
-- 'check', before the password is checked, returns
--   {password hash or false, the name holding the lowercase form or false,
--    ms the account stays locked (0: go ahead), failures counted,
--    the lock if this attempt fails (ms; 0 when the attempt was not counted)}
-- 'failed', after a wrong password that 'check' did not count, returns the lock now in force (ms).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local allowed = tonumber(ARGV[4])

-- the n-th failure locks the account for first * 2^(n - allowed), at most the longest lock
local function lock_after(failures)
  return math.floor(math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ (failures - allowed)))
end

if ARGV[1] == 'failed' then
  local failures = redis.call('HINCRBY', KEYS[3], 'failures', 1)
  local locked_until = tonumber(redis.call('HGET', KEYS[3], 'until')) or 0
  if failures >= allowed and now + lock_after(failures) > locked_until then
    locked_until = now + lock_after(failures)
    redis.call('HSET', KEYS[3], 'until', locked_until)
  end
  local left = math.max(0, locked_until - now)
  redis.call('PEXPIRE', KEYS[3], left + tonumber(ARGV[7]))
  return left
end

local hash = redis.call('HGET', KEYS[1], ARGV[2])
local holder = redis.call('HGET', KEYS[2], ARGV[3])
if not hash then
  return {false, holder, 0, 0, 0}
end
local state = redis.call('HMGET', KEYS[3], 'failures', 'until')
local failures = tonumber(state[1]) or 0
local locked_until = tonumber(state[2]) or 0
if locked_until > now then
  return {hash, holder, locked_until - now, failures, 0}
end
if failures + 1 < allowed then
  return {hash, holder, 0, failures, 0}
end
-- Failing, this attempt reaches the limit: count it and lock the account now, before the
-- password is checked, so that attempts racing in on any replica are refused meanwhile and
-- exactly one is checked per lock. A right password deletes the key, lifting the lock.
failures = failures + 1
local lock = lock_after(failures)
redis.call('HSET', KEYS[3], 'failures', failures, 'until', now + lock)
redis.call('PEXPIRE', KEYS[3], lock + tonumber(ARGV[7]))
return {hash, holder, 0, failures, lock}
