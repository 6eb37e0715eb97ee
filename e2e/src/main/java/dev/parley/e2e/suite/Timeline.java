package dev.parley.e2e.suite;

import dev.parley.e2e.suite.report.E2eReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The run over time: one sample of the load each second (with that second's latency histogram,
 * so any window's percentiles can be merged later), the moments scenarios mark, and the chat
 * server's replica counts. Prints a progress line every few seconds.
 */
final class Timeline implements AutoCloseable {
    private static final long SAMPLE_NANOS = 1_000_000_000L;
    private static final int PROGRESS_EVERY = 5;

    private final SoakMetrics metrics;
    private final long origin;
    private final PrintStream progress;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile String phase = "starting";

    private final List<E2eReport.Sample> samples = new ArrayList<>();
    private final List<Histogram> latencies = new ArrayList<>();
    private final List<E2eReport.Marker> markers = new ArrayList<>();
    private final List<E2eReport.ReplicaSample> replicas = new ArrayList<>();

    Timeline(SoakMetrics metrics, long origin, PrintStream progress) {
        this.metrics = metrics;
        this.origin = origin;
        this.progress = progress;
        this.thread = new Thread(this::run, "soak-timeline");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Seconds since the load's origin. */
    double now() {
        return (System.nanoTime() - origin) / 1e9;
    }

    void phase(String name) {
        phase = name;
    }

    synchronized void mark(String label) {
        markers.add(new E2eReport.Marker(now(), label));
        progress.printf("[%6.1fs] %s%n", now(), label);
    }

    synchronized void replicas(int desired, int ready) {
        replicas.add(new E2eReport.ReplicaSample(now(), desired, ready));
    }

    synchronized List<E2eReport.Sample> samples() {
        return List.copyOf(samples);
    }

    synchronized List<E2eReport.Marker> markers() {
        return List.copyOf(markers);
    }

    synchronized List<E2eReport.ReplicaSample> replicaSamples() {
        return List.copyOf(replicas);
    }

    /** The latencies of deliveries from {@code fromSec} to {@code toSec}, merged. */
    synchronized Histogram latencies(double fromSec, double toSec) {
        Histogram merged = new Histogram(1, SoakMetrics.MAX_LATENCY_MICROS, 2);
        for (int i = 0; i < samples.size(); i++) {
            double t = samples.get(i).tSec();
            if (t > fromSec && t <= toSec + 1) {
                merged.add(latencies.get(i));
            }
        }
        return merged;
    }

    private void run() {
        long next = System.nanoTime() + SAMPLE_NANOS;
        long sent = 0;
        long acked = 0;
        long delivered = 0;
        long errors = 0;
        int tick = 0;
        while (!stopped) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            next += SAMPLE_NANOS;
            long s = metrics.sent.sum();
            long a = metrics.acked.sum();
            long d = metrics.delivered.sum();
            long e = metrics.errors.sum();
            Histogram h = metrics.takeLatencies();
            E2eReport.Sample sample = new E2eReport.Sample(now(), s - sent, a - acked, d - delivered, e - errors,
                    metrics.connected.get(), millis(h, 50), millis(h, 99));
            synchronized (this) {
                samples.add(sample);
                latencies.add(h);
            }
            if (++tick % PROGRESS_EVERY == 0) {
                progress.printf("[%6.1fs] %-22s sent %6d/s acked %6d/s delivered %7d/s p99 %7.1f ms"
                                + "  connected %d  errors %d  reconnects %d%n",
                        sample.tSec(), phase, sample.sent(), sample.acked(), sample.delivered(), sample.p99Ms(),
                        sample.connected(), e, metrics.reconnects.sum());
            }
            sent = s;
            acked = a;
            delivered = d;
            errors = e;
        }
    }

    static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5000);
    }
}
