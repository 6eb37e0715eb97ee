package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaximumWithJitterBelowNominal() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4));
        long[] nominal = {500, 1000, 2000, 4000, 4000};
        for (long n : nominal) {
            assertThat(backoff.next().toMillis()).isBetween(n * 4 / 5, n);
        }
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(400L, 500L);
    }

    @Test
    void neverWaitsLongerThanTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(300));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.next()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void jitterSpreadsTheDelays() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(backoff.next());
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
