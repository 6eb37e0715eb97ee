package dev.parley.server.handler;

/**
 * A token bucket per connection: {@code rate} frames a second on average, bursts up to one
 * second's worth. Not thread-safe: one per channel, used on its event loop.
 */
final class RateLimiter {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    /** A limiter allowing {@code rate} per second; 0 allows everything. */
    RateLimiter(int rate, long now) {
        this.rate = rate;
        this.burst = Math.max(1, rate);
        this.tokens = burst;
        this.last = now;
    }

    /** Takes a token if one is left at time {@code now} (nanoseconds). */
    boolean tryAcquire(long now) {
        if (rate == 0) {
            return true;
        }
        tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** After a refused {@link #tryAcquire}: milliseconds until a token is back, at least 1. */
    long millisUntilNext() {
        return Math.max(1, (long) Math.ceil((1 - tokens) * 1000 / rate));
    }
}
