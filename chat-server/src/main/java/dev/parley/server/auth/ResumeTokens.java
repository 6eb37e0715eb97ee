package dev.parley.server.auth;

import dev.parley.server.store.ChatStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Resume tokens: what a v1.1 client gives in place of its password when it reconnects, so that a
 * reconnect storm (a rolling update moving thousands of clients) costs Redis lookups, not slow
 * password hashes. A token is 32 random bytes, given to the client once in its welcome; Redis
 * keeps only its SHA-256 (a leaked Redis does not leak tokens), with the user it is for and an
 * expiry. A token logs in once: using it consumes it, and the welcome that follows brings the
 * next one; a session that ends with {@code bye} revokes the token it was given. Blocking (Redis):
 * call from an executor.
 */
public final class ResumeTokens {
    private static final int TOKEN_BYTES = 32;

    private final ChatStore store;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    public ResumeTokens(ChatStore store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    /** A new token for {@code user}, good for one login within the TTL. */
    public String issue(String user) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.saveResumeToken(digest(token), user, ttl);
        return token;
    }

    /** Whether {@code token} is a live token of {@code user}; consumed either way. */
    public boolean redeem(String user, String token) {
        String owner = store.takeResumeToken(digest(token));
        return user.equals(owner);
    }

    /** The token can no longer log in (its session said bye). */
    public void revoke(String token) {
        store.deleteResumeToken(digest(token));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
