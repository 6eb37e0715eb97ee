package dev.parley.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script from the classpath, run by its SHA and sent in full only when Redis does not
 * know it yet (first use, or after Redis restarted and lost its script cache).
 */
final class LuaScript {
    private final String source;
    private final String sha;
    private final byte[] shaBytes;

    private LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
    }

    static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs with the keys it touches in {@code KEYS[]}, so their names live in {@link Keys} only. */
    Object run(Jedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }

    /**
     * {@link #run} with keys and arguments given as bytes, and bulk replies left as the bytes Redis
     * sent ({@code byte[]}), not decoded to strings.
     */
    Object runBinary(Jedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(shaBytes, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source.getBytes(StandardCharsets.UTF_8), keys, args);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
