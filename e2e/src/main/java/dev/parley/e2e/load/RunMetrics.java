package dev.parley.e2e.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The run's clock and the figures shared by all event loops: live counters for progress and the
 * drain, and the latency histograms. Latency is measured from the intended send time, not the
 * actual one, so a stall anywhere (server, network, this generator) shows up in the figures
 * instead of silently delaying the schedule (coordinated omission).
 */
final class RunMetrics {
    /** Longest latency tracked, in microseconds; longer ones are clamped to it. */
    static final long MAX_TRACKED_MICROS = 3_600_000_000L;

    /** Sends the loops have dealt with: written, backpressured or skipped. */
    final LongAdder handled = new LongAdder();
    /** Sends refused because their event loop was a whole queue behind (reported as backpressured). */
    final LongAdder overflowed = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder deliveredInWindow = new LongAdder();
    final LongAdder sentInWindow = new LongAdder();
    final LongAdder disconnects = new LongAdder();

    private final Recorder latency = new Recorder(MAX_TRACKED_MICROS, 3);
    private final Recorder sendLag = new Recorder(MAX_TRACKED_MICROS, 3);

    private volatile long origin;
    private volatile long measureFrom;
    private volatile long measureTo;

    /**
     * Fixes the clock: nanos given to and read from probes are relative to {@code origin}; figures
     * cover messages intended (latency) or received (throughput) in [measureFrom, measureTo).
     */
    void start(long origin, long measureFrom, long measureTo) {
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
        this.origin = origin;
    }

    long origin() {
        return origin;
    }

    long measuredNanos() {
        return measureTo - measureFrom;
    }

    /** A send went out at {@code nowNanos}; it was intended at {@code intended} (both absolute). */
    void onSent(long intended, long nowNanos) {
        sent.increment();
        long rel = intended - origin;
        if (rel >= measureFrom && rel < measureTo) {
            sentInWindow.increment();
            sendLag.recordValue(clampMicros(nowNanos - intended));
        }
    }

    /** First delivery of a probe intended at {@code intendedRel} (relative), received at {@code nowNanos}. */
    void onDelivered(long intendedRel, long nowNanos) {
        delivered.increment();
        long receivedRel = nowNanos - origin;
        if (intendedRel >= measureFrom && intendedRel < measureTo) {
            latency.recordValue(clampMicros(receivedRel - intendedRel));
        }
        if (receivedRel >= measureFrom && receivedRel < measureTo) {
            deliveredInWindow.increment();
        }
    }

    /** Everything recorded so far; call once, when the event loops have stopped. */
    Histogram latencyMicros() {
        return latency.getIntervalHistogram();
    }

    Histogram sendLagMicros() {
        return sendLag.getIntervalHistogram();
    }

    private static long clampMicros(long nanos) {
        long micros = nanos / 1000;
        return micros < 0 ? 0 : Math.min(micros, MAX_TRACKED_MICROS);
    }
}
