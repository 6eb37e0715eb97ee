package dev.parley.client.chat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client message ids for sends: a random prefix per client run and a counter, so that two runs
 * of the same user (another device, a restart) never reuse an id within the server's retention
 * window, which would get a new message answered with an old message's ack.
 */
public final class SendIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public SendIds() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        // 96 random bits, URL-safe base64: within the protocol's id charset
        this.prefix = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String next() {
        return prefix + "." + counter.incrementAndGet();
    }
}
