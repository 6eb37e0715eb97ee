package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendSchedulerTest {

    @Test
    void spreadsMessagesEvenlyFromTheStart() {
        long start = 1_000_000_000L;

        assertThat(SendScheduler.intendedAt(start, 20_000, 0)).isEqualTo(start);
        assertThat(SendScheduler.intendedAt(start, 20_000, 1)).isEqualTo(start + 50_000);
        assertThat(SendScheduler.intendedAt(start, 20_000, 20_000)).isEqualTo(start + 1_000_000_000L);
        assertThat(SendScheduler.intendedAt(start, 3, 1)).isEqualTo(start + 333_333_333L);
        assertThat(SendScheduler.intendedAt(start, 3, 3)).as("no drift from rounding").isEqualTo(start + 1_000_000_000L);
    }

    @Test
    void settingsCountTheMessagesOfWarmupAndWindow() {
        LoadSettings s = new LoadSettings(10, 2500, java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(1500),
                java.time.Duration.ZERO, "lg", "pw", 100, 10, 1, 1, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ZERO);

        assertThat(s.totalMessages()).isEqualTo(8750);
    }
}
