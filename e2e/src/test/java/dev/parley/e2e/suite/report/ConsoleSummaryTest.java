package dev.parley.e2e.suite.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {

    @Test
    void namesTheVerdictTotalsAndFailingScenarios() {
        String text = ConsoleSummary.format(SampleReports.failedRun());
        List<String> lines = text.lines().toList();

        assertThat(lines.get(0)).startsWith("Parley e2e FAILED").contains("full", "192.168.49.2:30062");
        assertThat(text).containsPattern("lost +4 ");
        assertThat(text).containsPattern("delivered +59,000");
        assertThat(text).containsPattern("false delivered +2");
        assertThat(text).contains("errors      RATE_LIMITED=2, UNAVAILABLE=5");
        assertThat(text).contains("p50 2.5 ms", "p99 45.68 ms", "p99.9 120 ms", "max 2450 ms");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                " +FAIL +chat pod failover +25–50 s +sent=3,000 lost=4 recoverySec=4.5 podName=parley-server-0"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .matches(" +PASS +steady load +0–25 s +sent=3,000 lost=0 p99Ms=12.35"));
        assertThat(lines.subList(lines.indexOf("Failures"), lines.size()))
                .contains("  - chat pod failover: 4 acknowledged messages lost");
        assertThat(lines.size()).isBetween(12, 30);
    }

    @Test
    void scenarioColumnsLineUp() {
        List<String> scenarioLines = ConsoleSummary.format(SampleReports.failedRun()).lines()
                .filter(l -> l.startsWith("  PASS") || l.startsWith("  FAIL")).toList();

        assertThat(scenarioLines).hasSize(3);
        assertThat(scenarioLines).extracting(l -> l.indexOf(" s ") >= 0 ? l.indexOf(" s ") : l.length() - 2)
                .as("windows end in one column").containsOnly(scenarioLines.get(0).indexOf(" s "));
    }

    @Test
    void aPassedRunWithNothingRecordedPrintsNoScenarioOrFailureSection() {
        String text = ConsoleSummary.format(SampleReports.emptyRun());

        assertThat(text).startsWith("Parley e2e PASSED");
        assertThat(text).doesNotContain("Scenarios", "Failures", "FAIL");
        assertThat(text).contains("p50 n/a  p99 n/a");
    }
}
