package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
    private static final long MS = 1_000_000L;

    @Test
    void recordsLatencyOnlyForMessagesIntendedInTheWindow() {
        RunMetrics m = new RunMetrics();
        long origin = 1_000 * MS;
        m.start(origin, 100 * MS, 200 * MS);

        m.onDelivered(50 * MS, origin + 52 * MS);   // warmup: not recorded
        m.onDelivered(100 * MS, origin + 103 * MS); // 3 ms
        m.onDelivered(199 * MS, origin + 206 * MS); // 7 ms, received after the window
        m.onDelivered(200 * MS, origin + 201 * MS); // after the window

        Histogram h = m.latencyMicros();
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isEqualTo(3000);
        assertThat(h.getMaxValue()).isBetween(7000L, 7010L);
        assertThat(m.delivered.sum()).isEqualTo(4);
        assertThat(m.deliveredInWindow.sum()).as("received in [100, 200) ms").isEqualTo(1);
    }

    @Test
    void measuresSendLagFromTheIntendedTime() {
        RunMetrics m = new RunMetrics();
        long origin = 5_000 * MS;
        m.start(origin, 0, 100 * MS);

        m.onSent(origin + 10 * MS, origin + 12 * MS);
        m.onSent(origin + 150 * MS, origin + 150 * MS);

        assertThat(m.sent.sum()).isEqualTo(2);
        assertThat(m.sentInWindow.sum()).isEqualTo(1);
        assertThat(m.sendLagMicros().getMaxValue()).isBetween(2000L, 2002L);
    }

    @Test
    void clampsNegativeAndHugeLatencies() {
        RunMetrics m = new RunMetrics();
        m.start(0, 0, Long.MAX_VALUE);

        m.onDelivered(10 * MS, 5 * MS);
        m.onDelivered(0, Long.MAX_VALUE / 2);

        Histogram h = m.latencyMicros();
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isZero();
        assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(RunMetrics.MAX_TRACKED_MICROS);
    }
}
