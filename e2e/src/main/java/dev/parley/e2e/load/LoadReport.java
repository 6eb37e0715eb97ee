package dev.parley.e2e.load;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run against one target: what was offered, what came back, and how
 * long deliveries took over the measured window. {@code ok} is what the exit code reflects.
 * {@code cpu} is averaged over the measured window: the generator's own use (it must stay well
 * under the machine's cores to not be the bottleneck), the target's when it is our child, and
 * the machine's CPU pressure (share of time some runnable task, of any process including the
 * generator and target themselves, waited for a CPU: near 0 on an idle machine, near 100% when
 * the cores are oversubscribed, which is when tail latency stops meaning anything).
 */
public record LoadReport(String label, String target, String transport, boolean ok,
                         Connections connections, Load load, LedgerSummary messages,
                         double sendRate, double throughput, Latency latencyMs, Latency sendLagMs,
                         CpuSampler.Usage cpu) {

    /** How many connections logged in, and what happened to the rest. */
    public record Connections(int requested, int reached, int failures, Map<String, Integer> failureReasons,
                              long disconnects) {
        public Connections {
            failureReasons = Collections.unmodifiableMap(new TreeMap<>(failureReasons));
        }
    }

    /**
     * The load as configured; {@code drainedSeconds} is how much of the drain was needed, and
     * {@code drainComplete} whether every send was answered and every ack delivered before it
     * ended. When it is false, "lost" includes messages that were merely later than the drain.
     */
    public record Load(long rate, double warmupSeconds, double durationSeconds, double drainSeconds,
                       double drainedSeconds, boolean drainComplete, int textBytes) {
    }

    /** Percentiles of a latency distribution, in milliseconds. */
    public record Latency(long count, double p50, double p90, double p99, double p999, double max) {
        static Latency ofMicros(Histogram h) {
            return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }
}
