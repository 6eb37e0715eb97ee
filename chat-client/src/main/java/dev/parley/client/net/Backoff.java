package dev.parley.client.net;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnection attempts: doubling from {@code first} up to {@code max}, with
 * jitter so that the clients of a restarted server do not all come back in the same instant.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
        }
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The delay before the next attempt (between 80% and 100% of the nominal one). */
    public synchronized Duration next() {
        Duration nominal = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        long millis = nominal.toMillis();
        return Duration.ofMillis(millis - ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }

    /** After a successful login the next failure starts again from {@code first}. */
    public synchronized void reset() {
        next = first;
    }
}
