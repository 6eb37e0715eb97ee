package dev.parley.e2e.suite.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static final Pattern TEXT_Y = Pattern.compile("<text x=\"[^\"]+\" y=\"([^\"]+)\"[^>]*>(m[12])</text>");

    @Test
    void markersCloseTogetherGetTheirLabelsOnSeparateRows() {
        String svg = new SvgChart("t", "u", 100)
                .line("a", "#000", new double[] {0, 100}, new double[] {1, 2})
                .marker(50, "m1").marker(51, "m2").render();

        List<String> ys = new ArrayList<>();
        Matcher m = TEXT_Y.matcher(svg);
        while (m.find()) {
            ys.add(m.group(1));
        }
        assertThat(ys).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void labelsThatFindNoRoomAreLeftOutRatherThanDrawnOverOthers() {
        SvgChart chart = new SvgChart("t", "u", 100).line("a", "#000", new double[] {0, 100}, new double[] {1, 2});
        for (int i = 0; i < 8; i++) {
            chart.marker(50 + 0.1 * i, "marker " + i);
        }
        String svg = chart.render();

        assertThat(Pattern.compile("<g class=\"marker\">").matcher(svg).results().count()).as("every line drawn")
                .isEqualTo(8);
        List<String> ys = new ArrayList<>();
        Matcher m = Pattern.compile("<text x=\"[^\"]+\" y=\"([^\"]+)\"[^>]*>marker \\d</text>").matcher(svg);
        while (m.find()) {
            ys.add(m.group(1));
        }
        assertThat(ys).as("one label per row, the rest left out").hasSizeBetween(2, 4).doesNotHaveDuplicates();
        assertThat(svg).contains("<title>marker 7 at 50.7 s</title>");
    }

    @Test
    void aStepHoldsItsLastValueToTheEndOfTheAxis() {
        String svg = new SvgChart("t", "u", 100)
                .step("ready", "#000", 2, new double[] {0, 50}, new double[] {2, 4}).render();

        assertThat(svg).containsPattern("d=\"M72 [0-9.]+H604V[0-9.]+H1136\"");
    }

    @Test
    void linearAndTimeTicksAreRoundNumbers() {
        assertThat(Scale.linear(1000).ticks()).containsExactly(0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0);
        assertThat(Scale.linear(0).max()).isPositive();
        assertThat(Scale.integers(4).ticks()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(Scale.seconds(300).ticks()).startsWith(0.0, 30.0, 60.0).endsWith(300.0).hasSize(11);
        assertThat(Scale.seconds(300).fraction(150)).isEqualTo(0.5);
    }

    @Test
    void aLogScaleKeepsTheMedianAndTheSpikeApart() {
        Scale log = Scale.log(2.5, 900);

        assertThat(log.min()).isEqualTo(1);
        assertThat(log.max()).isEqualTo(1000);
        assertThat(log.ticks()).containsExactly(1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0);
        assertThat(log.fraction(10)).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(log.fraction(0)).as("0 cannot be drawn on a log axis: it sits on the bottom").isZero();
    }
}
