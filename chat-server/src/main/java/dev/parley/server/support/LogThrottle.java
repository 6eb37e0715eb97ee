package dev.parley.server.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets a repeated log line through at most once per interval and counts the occurrences left
 * out, so a flood of the same event (refused connections, a full store queue) costs one line
 * every few seconds that says how many there were. Thread-safe.
 */
public final class LogThrottle {
    /** Returned by {@link #occurred()} when this occurrence is not to be logged. */
    public static final long SKIP = -1;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong lastLogged;
    private final AtomicLong unlogged = new AtomicLong();

    public LogThrottle(long interval, TimeUnit unit) {
        this(interval, unit, System::nanoTime);
    }

    /** @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} gives it */
    public LogThrottle(long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
        this.lastLogged = new AtomicLong(nanoClock.getAsLong() - intervalNanos);
    }

    /**
     * Records one occurrence.
     *
     * @return {@link #SKIP} when it is not to be logged; otherwise how many occurrences this line
     *         stands for (this one and those left out since the last line), at least 1
     */
    public long occurred() {
        long count = unlogged.incrementAndGet();
        long now = nanoClock.getAsLong();
        long last = lastLogged.get();
        if (now - last >= intervalNanos && lastLogged.compareAndSet(last, now)) {
            unlogged.addAndGet(-count);
            return count;
        }
        return SKIP;
    }
}
