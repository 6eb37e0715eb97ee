-- Replaces a user's password hash only if it is still the one the caller verified against, so a
-- rehash never overwrites a newer hash written meanwhile.
-- KEYS: parley:users
-- ARGV: the name, the hash verified against, the new hash
-- Returns 1 when it replaced the hash, else 0.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
