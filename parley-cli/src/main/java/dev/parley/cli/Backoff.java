package dev.parley.cli;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries: doubling from {@code first} up to {@code max}, each one shortened by up
 * to a fifth at random, so that the clients of a restarted server (or the replicas of a Redis that
 * came back) do not all retry in the same instant; never longer than {@code max}. Safe to share
 * between threads.
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

    /** The delay before the next attempt: between 80% and 100% of the nominal one, which then doubles. */
    public synchronized Duration next() {
        Duration nominal = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        long nanos = nominal.toNanos();
        return Duration.ofNanos(nanos - ThreadLocalRandom.current().nextLong(nanos / 5 + 1));
    }

    /** After a success the next failure starts again from {@code first}. */
    public synchronized void reset() {
        next = first;
    }
}
