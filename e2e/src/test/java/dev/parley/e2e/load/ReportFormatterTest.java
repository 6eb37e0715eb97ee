package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportFormatterTest {

    private static LoadReport report(String label, boolean ok, long lost, double p99) {
        LedgerSummary messages = new LedgerSummary(1000, 0, 0, 1000, Map.of("RATE_LIMITED", 2L), 0, 0,
                1000 - lost, lost, 0, 0, 0);
        return new LoadReport(label, "127.0.0.1:6000", "epoll", ok,
                new LoadReport.Connections(10, 10, 0, Map.of(), 0),
                new LoadReport.Load(100, 1, 10, 5, 0.25, true, 100),
                messages, 100.0, 99.5,
                new LoadReport.Latency(900, 0.2, 0.5, p99, 40.0, 41.5),
                new LoadReport.Latency(1000, 0.01, 0.02, 0.05, 0.1, 0.2),
                new CpuSampler.Usage(0.5, 1.0, 0.25, List.of(0.8, 0.2)));
    }

    @Test
    void textPutsRunsSideBySide() {
        String text = ReportFormatter.text(List.of(report("relay", true, 0, 20.25), report("server", false, 3, 35.5)));

        assertThat(text.lines().findFirst().orElseThrow()).contains("relay", "server");
        assertThat(text).containsPattern("latency p99 \\(ms\\) +20\\.250 +35\\.500");
        assertThat(text).containsPattern("lost +0 +3");
        assertThat(text).containsPattern("errors +RATE_LIMITED=2 +RATE_LIMITED=2");
        assertThat(text).containsPattern("result +OK +FAILED");
        assertThat(text).contains("10s after 1s warmup");
        assertThat(text).containsPattern("generator CPU \\(cores\\) +0\\.50 +0\\.50");
        assertThat(text).containsPattern("target CPU \\(cores\\) +1\\.00 +1\\.00");
        assertThat(text).containsPattern("per process \\(cores\\) +0\\.80 \\+ 0\\.20 +0\\.80 \\+ 0\\.20");
        // 0.8 cores at 99.5 deliveries/s: 8,040 µs each
        assertThat(text).containsPattern("per delivered msg \\(µs\\) +8040\\.2 \\+ 2010\\.1");
        assertThat(text).containsPattern("machine CPU pressure +25% +25%");
    }

    @Test
    void jsonHasTheOverallVerdictAndEveryFigure() throws Exception {
        String json = ReportFormatter.json(List.of(report("relay", true, 0, 20.25), report("server", false, 3, 35.5)));

        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("ok").booleanValue()).isFalse();
        JsonNode server = root.get("runs").get(1);
        assertThat(server.get("label").textValue()).isEqualTo("server");
        assertThat(server.at("/messages/lost").longValue()).isEqualTo(3);
        assertThat(server.at("/messages/errors/RATE_LIMITED").longValue()).isEqualTo(2);
        assertThat(server.at("/latencyMs/p99").doubleValue()).isEqualTo(35.5);
        assertThat(server.at("/connections/reached").intValue()).isEqualTo(10);
        assertThat(server.get("throughput").doubleValue()).isEqualTo(99.5);
        assertThat(server.at("/cpu/generatorCores").doubleValue()).isEqualTo(0.5);
        assertThat(server.at("/cpu/targetCores").doubleValue()).isEqualTo(1.0);
        assertThat(server.at("/cpu/perTargetCores/1").doubleValue()).isEqualTo(0.2);
    }
}
