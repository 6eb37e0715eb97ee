package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {

    @Test
    void readsTheSomeTotalOfCpuPressure() {
        List<String> psi = List.of(
                "some avg10=36.02 avg60=38.12 avg300=49.88 total=504904303",
                "full avg10=0.00 avg60=0.00 avg300=0.00 total=0");

        assertThat(CpuSampler.parsePressureTotal(psi)).isEqualTo(504904303L);
        assertThat(CpuSampler.parsePressureTotal(List.of())).isEqualTo(-1);
    }

    @Test
    void averagesUseOverTheInterval() {
        CpuSampler.Sample a = new CpuSampler.Sample(0, 1_000_000_000L, new long[] {0, -1}, 5_000_000);
        CpuSampler.Sample b = new CpuSampler.Sample(2_000_000_000L, 2_500_000_000L, new long[] {1_000_000_000L, -1}, 5_500_000);

        CpuSampler.Usage u = CpuSampler.between(a, b);

        assertThat(u.generatorCores()).isEqualTo(0.75);
        assertThat(u.targetCores()).as("unknown when one process is").isNull();
        assertThat(u.perTargetCores()).containsExactly(0.5, null);
        assertThat(u.cpuPressure()).as("0.5 s of 2 s").isEqualTo(0.25);
    }
}
