package dev.parley.server.auth;

import dev.parley.protocol.Protocol;
import dev.parley.server.store.ChatStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Logs users in, registering a name on its first hello unless the same name in another case is
 * registered already. Blocking (Redis and a slow hash): run it on the auth executor. A small
 * cache remembers logins this process already verified against the same stored hash, keyed by an
 * HMAC under a per-process random key, so reconnect storms do not pay the slow hash again while a
 * changed or wrong password still does. After too many wrong passwords in a row an account's
 * logins are refused for a while, on every replica, without checking anything (see
 * {@link ChatStore#account}).
 */
public final class Authenticator {
    /** What a login attempt came to. */
    /** {@code NO_ACCOUNT}: the user does not exist and the hello asked not to register it. */
    public enum Outcome { REGISTERED, ACCEPTED, WRONG_PASSWORD, LOCKED_OUT, RESERVED_NAME, NAME_TAKEN, TOKEN_REFUSED, NO_ACCOUNT }

    /**
     * The outcome of a login attempt, with what the client is told about it.
     *
     * @param takenBy          for {@code NAME_TAKEN}: the registered name that differs from the asked one only in case
     * @param retryAfterMillis for {@code WRONG_PASSWORD} and {@code LOCKED_OUT}: how long the account's logins
     *                         are refused from now, 0 when they are not
     * @param failures         for {@code WRONG_PASSWORD} and {@code LOCKED_OUT}: wrong passwords in a row so far
     */
    public record Result(Outcome outcome, String takenBy, long retryAfterMillis, long failures) {
        public static Result of(Outcome outcome) {
            return new Result(outcome, null, 0, 0);
        }

        /** How long to wait, for people: "300 ms", "4 s" (rounded up). */
        public String retryAfterText() {
            return retryAfterMillis < 1000 ? retryAfterMillis + " ms" : (retryAfterMillis + 999) / 1000 + " s";
        }
    }

    private static final int CACHE_ENTRIES = 100_000;

    private final ChatStore store;
    private final PasswordHasher hasher;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Verified> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record Verified(String storedHash, byte[] passwordMac) {
    }

    public Authenticator(ChatStore store, PasswordHasher hasher) {
        this.store = store;
        this.hasher = hasher;
        new SecureRandom().nextBytes(cacheKey);
    }

    public Result login(String user, String password) {
        return login(user, password, true);
    }

    /** @param mayRegister false: a user that does not exist is {@code NO_ACCOUNT}, not registered */
    public Result login(String user, String password, boolean mayRegister) {
        ChatStore.Account account = store.account(user);
        if (account.passwordHash() == null) {
            Result registered = register(user, password, account, mayRegister);
            if (registered != null) {
                return registered;
            }
            // someone registered the name between our read and write: check against theirs
            account = store.account(user);
            if (account.passwordHash() == null) {
                return Result.of(Outcome.WRONG_PASSWORD);
            }
        }
        return verify(user, password, account);
    }

    /** Registers {@code user}; null when the exact name was registered meanwhile by someone else. */
    private Result register(String user, String password, ChatStore.Account account, boolean mayRegister) {
        if (Protocol.isReservedName(user)) {
            // Accounts that already exist keep working; new ones may not pass for the service.
            return Result.of(Outcome.RESERVED_NAME);
        }
        String variant = account.registeredAs();
        if (variant != null && !variant.equals(user)) {
            // checked before the slow hash; the register script checks again, atomically
            return new Result(Outcome.NAME_TAKEN, variant, 0, 0);
        }
        if (!mayRegister) {
            return Result.of(Outcome.NO_ACCOUNT);
        }
        String fresh = hasher.hash(password);
        String holder = store.register(user, fresh);
        if (holder == null) {
            remember(user, fresh, password);
            return Result.of(Outcome.REGISTERED);
        }
        return holder.equals(user) ? null : new Result(Outcome.NAME_TAKEN, holder, 0, 0);
    }

    private Result verify(String user, String password, ChatStore.Account account) {
        if (account.lockedMillis() > 0) {
            // refused before any check, even of the right password: guessing gains nothing while locked
            return new Result(Outcome.LOCKED_OUT, null, account.lockedMillis(), account.failures());
        }
        String stored = account.passwordHash();
        byte[] mac = mac(user, password);
        Verified known;
        synchronized (cache) {
            known = cache.get(user);
        }
        boolean right = known != null && known.storedHash().equals(stored)
                && MessageDigest.isEqual(known.passwordMac(), mac);
        if (!right && !hasher.verify(password, stored)) {
            if (account.lockIfWrongMillis() > 0) {
                return new Result(Outcome.WRONG_PASSWORD, null, account.lockIfWrongMillis(), account.failures());
            }
            long lock = store.loginFailed(user);
            return new Result(Outcome.WRONG_PASSWORD, null, lock, account.failures() + 1);
        }
        if (account.failures() > 0) {
            store.loginSucceeded(user);
        }
        if (hasher.weakerThanCurrent(stored)) {
            // the one moment the password is at hand: bring the hash up to today's iterations
            String stronger = hasher.hash(password);
            if (store.replacePasswordHash(user, stored, stronger)) {
                stored = stronger;
                right = false;
            }
        }
        if (!right) {
            remember(user, stored, password);
        }
        return Result.of(Outcome.ACCEPTED);
    }

    private void remember(String user, String stored, String password) {
        Verified v = new Verified(stored, mac(user, password));
        synchronized (cache) {
            cache.put(user, v);
        }
    }

    private byte[] mac(String user, String password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            hmac.update(user.getBytes(StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
