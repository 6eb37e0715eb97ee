package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one duration grammar, which used to be three (client, server, load generator). */
class DurationConverterTest {
    private final DurationConverter durations = new DurationConverter();
    private final PositiveDurationConverter positive = new PositiveDurationConverter();

    @Test
    void readsANumberAndAUnitInAnyCase() {
        assertThat(durations.convert("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(durations.convert(" 15s ")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void readsIso8601() {
        assertThat(durations.convert("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(durations.convert("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("P1D")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void zeroIsAcceptedWithOrWithoutAUnitButNotByThePositiveConverter() {
        for (String zero : new String[] {"0", "0s", "0ms", "PT0S"}) {
            assertThat(durations.convert(zero)).as(zero).isZero();
            assertThatThrownBy(() -> positive.convert(zero)).as(zero)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("'" + zero + "' is zero");
        }
        assertThat(positive.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBareNumberOtherThanZeroIsRefusedWithTheUnitsToChooseFrom() {
        // Deliberate: the client, the server and parley-load used to read "10" as ten seconds.
        assertThatThrownBy(() -> durations.convert("10"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("'10' has no unit; write 10s, 10ms or 10m, for instance");
        assertThatThrownBy(() -> positive.convert("7")).hasMessageContaining("'7' has no unit");
    }

    @Test
    void refusesAnythingElseNamingTheAcceptedForms() {
        for (String bad : new String[] {"", " ", "-1s", "1.5s", "ten", "soon", "10 s", "1d", "5mins", "s",
            "1234567890123s", "PT", "PT-5S", "P1Y"}) {
            assertThatThrownBy(() -> durations.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageStartingWith("'" + bad + "' ")
                    .hasMessageContaining("500ms, 10s, 5m, 1h");
        }
        assertThatThrownBy(() -> durations.convert("soon")).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> durations.convert(null)).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void formatWritesBackInTheLargestExactUnit() {
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0");
        assertThat(DurationConverter.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationConverter.format(Duration.ofNanos(250_000))).isEqualTo("250us");
        assertThat(DurationConverter.format(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
        for (String text : new String[] {"2h", "90s", "1500ms", "250us"}) {
            assertThat(DurationConverter.format(durations.convert(text))).isEqualTo(text);
        }
    }

    @Test
    void worksAsAnOptionConverterWithPicocliNamingTheOption() {
        class Command {
            @CommandLine.Option(names = "--wait", converter = PositiveDurationConverter.class)
            Duration wait;
        }
        Command command = new Command();
        new CommandLine(command).parseArgs("--wait", "PT2S");
        assertThat(command.wait).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new CommandLine(new Command()).parseArgs("--wait", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--wait").hasMessageContaining("'0s' is zero");
    }
}
