package dev.parley.e2e.suite;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Running counts of the soak, written by every event loop and read each second by the sampler.
 * The ledgers hold the per-message truth; these only feed the progress line and the charts.
 */
final class SoakMetrics {
    /** Longest latency the histograms hold: ten minutes, in microseconds. */
    static final long MAX_LATENCY_MICROS = 600_000_000L;

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    /** Sends due while their user was between connections. */
    final LongAdder skippedOffline = new LongAdder();
    /** Sends due while the user already had its limit of unanswered ones. */
    final LongAdder backpressured = new LongAdder();
    final AtomicInteger connected = new AtomicInteger();
    private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(1, MAX_LATENCY_MICROS, 2);

    void onError(String code) {
        errors.increment();
        errorsByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A first delivery, {@code micros} after its intended send time. */
    void onDelivered(long micros) {
        delivered.increment();
        latency.recordValue(Math.max(1, Math.min(micros, MAX_LATENCY_MICROS)));
    }

    /** The deliveries' latencies since the previous call. */
    Histogram takeLatencies() {
        return latency.getIntervalHistogram();
    }

    Map<String, Long> errorsByCode() {
        Map<String, Long> copy = new TreeMap<>();
        errorsByCode.forEach((code, n) -> copy.put(code, n.sum()));
        return copy;
    }
}
