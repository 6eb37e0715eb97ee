package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbeTextTest {

    @Test
    void formatsFixedWidthFieldsPaddedToTheRequestedLength() {
        String text = ProbeText.format("lg", 12, 3456, 789, 60);

        assertThat(text).startsWith("lg|000012|0000003456|0000000000000000789|").hasSize(60).endsWith("...");
    }

    @Test
    void parsesWhatItFormats() {
        String text = ProbeText.format("lg", 999_999, ProbeText.MAX_SEQ, Long.MAX_VALUE, 100);

        assertThat(ProbeText.parse("lg", text))
                .isEqualTo(new ProbeText.Probe(999_999, ProbeText.MAX_SEQ, Long.MAX_VALUE));
    }

    @Test
    void parsesNumbersOfAnyWidth() {
        assertThat(ProbeText.parse("lg", "lg|12|3456|123456789|")).isEqualTo(new ProbeText.Probe(12, 3456, 123456789));
    }

    @Test
    void rejectsTextThatIsNotAProbeOfThisTag() {
        assertThat(ProbeText.parse("lg", "hello there")).isNull();
        assertThat(ProbeText.parse("lg", "other|1|2|3|")).isNull();
        assertThat(ProbeText.parse("lg", "lgx|1|2|3|")).isNull();
        assertThat(ProbeText.parse("lg", "lg")).isNull();
        assertThat(ProbeText.parse("lg", "lg|1|2|")).isNull();
        assertThat(ProbeText.parse("lg", "lg|1|x|3|")).isNull();
        assertThat(ProbeText.parse("lg", "lg||2|3|")).isNull();
        assertThat(ProbeText.parse("lg", "lg|1234567|2|3|")).as("sender over the maximum").isNull();
        assertThat(ProbeText.parse("lg", "lg|1|2|99999999999999999999|")).as("nanos overflow").isNull();
        assertThat(ProbeText.parse("lg", "lg|1|2|9999999999999999999|")).as("19 digits past Long.MAX_VALUE").isNull();
    }

    @Test
    void refusesTextsShorterThanTheHeaderAndFieldsOutOfRange() {
        int header = ProbeText.headerLength("lg");
        assertThat(ProbeText.format("lg", 1, 2, 3, header)).hasSize(header);
        assertThatThrownBy(() -> ProbeText.format("lg", 1, 2, 3, header - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProbeText.format("lg", -1, 2, 3, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProbeText.format("lg", 1, 2, -3, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
