package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One style for every duration a person reads: number, space, unit. */
class DurationTextTest {
    @Test
    void millisecondsUnderASecond() {
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(DurationText.format(Duration.ofMillis(491))).isEqualTo("491 ms");
        assertThat(DurationText.format(Duration.ofNanos(999_999_999))).isEqualTo("999 ms");
    }

    @Test
    void tenthsOfASecondOnlyUnderTen() {
        assertThat(DurationText.format(Duration.ofMillis(1000))).isEqualTo("1 s");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(DurationText.format(Duration.ofMillis(9_940))).isEqualTo("9.9 s");
        assertThat(DurationText.format(Duration.ofMillis(9_960))).isEqualTo("10 s");
        assertThat(DurationText.format(Duration.ofMillis(15_400))).isEqualTo("15 s");
    }

    @Test
    void minutesFromSixtySeconds() {
        assertThat(DurationText.format(Duration.ofSeconds(60))).isEqualTo("1 min");
        assertThat(DurationText.format(Duration.ofSeconds(150))).isEqualTo("2 min 30 s");
        assertThat(DurationText.format(Duration.ofHours(2))).isEqualTo("120 min");
    }
}
