package dev.parley.e2e.suite.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path tmp;

    @Test
    void summaryJsonHasTheTotalsFlatThenScenariosAndSeries() throws Exception {
        Path dir = tmp.resolve("report/nested");
        ReportWriter.write(SampleReports.failedRun(), dir);

        JsonNode root = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("mode", "startedAt", "target", "passed", "durationSec", "connections",
                "sent", "acked", "delivered", "lost", "duplicated", "outOfOrder", "falseDelivered", "inDoubt",
                "errors", "disconnects", "reconnects", "throughputPerSec", "p50Ms", "p99Ms", "p999Ms", "maxMs",
                "maxReplicasSeen", "scenarios", "failures", "samples", "markers", "replicas");
        assertThat(root.get("mode").textValue()).isEqualTo("full");
        assertThat(root.get("passed").booleanValue()).isFalse();
        assertThat(root.get("sent").longValue()).isEqualTo(6000);
        assertThat(root.get("lost").longValue()).isEqualTo(4);
        assertThat(root.get("falseDelivered").longValue()).isEqualTo(2);
        assertThat(root.get("maxReplicasSeen").intValue()).isEqualTo(4);
        assertThat(root.at("/errors/UNAVAILABLE").longValue()).isEqualTo(5);
        List<String> codes = new ArrayList<>();
        root.get("errors").fieldNames().forEachRemaining(codes::add);
        assertThat(codes).as("error codes in a stable order").containsExactly("RATE_LIMITED", "UNAVAILABLE");

        assertThat(root.get("throughputPerSec").doubleValue()).isEqualTo(983.333);
        assertThat(root.get("p99Ms").doubleValue()).isEqualTo(45.679);
        assertThat(root.get("durationSec").doubleValue()).isEqualTo(60.0);

        JsonNode failover = root.get("scenarios").get(1);
        List<String> scenarioKeys = new ArrayList<>();
        failover.fieldNames().forEachRemaining(scenarioKeys::add);
        assertThat(scenarioKeys).containsExactly("name", "description", "startSec", "endSec", "passed", "failures",
                "figures");
        assertThat(failover.get("name").textValue()).isEqualTo("chat pod failover");
        assertThat(failover.get("passed").booleanValue()).isFalse();
        assertThat(failover.at("/failures/0").textValue()).contains("4 acknowledged messages lost");
        assertThat(failover.at("/figures/lost").longValue()).isEqualTo(4);
        assertThat(failover.at("/figures/podName").textValue()).isEqualTo("parley-server-0");
        assertThat(root.at("/scenarios/0/figures/p99Ms").doubleValue()).as("figures rounded too").isEqualTo(12.346);

        assertThat(root.get("failures")).hasSize(1);
        assertThat(root.get("samples")).hasSize(60);
        assertThat(root.at("/samples/30/delivered").longValue()).isZero();
        assertThat(root.at("/samples/30/errors").longValue()).isEqualTo(7);
        List<String> sampleKeys = new ArrayList<>();
        root.at("/samples/0").fieldNames().forEachRemaining(sampleKeys::add);
        assertThat(sampleKeys).containsExactly("tSec", "sent", "acked", "delivered", "errors", "connected", "p50Ms",
                "p99Ms");
        assertThat(root.at("/markers/0/label").textValue()).isEqualTo("chat pod deleted");
        assertThat(root.at("/markers/1/tSec").doubleValue()).isEqualTo(31.0);
        assertThat(root.at("/replicas/1/desired").intValue()).isEqualTo(4);
        assertThat(root.at("/replicas/1/ready").intValue()).isEqualTo(2);

        String text = Files.readString(dir.resolve("summary.json"));
        assertThat(text).as("pretty-printed").contains("\n  \"mode\" : \"full\"");
    }

    @Test
    void indexHtmlDrawsTheThreeChartsWithMarkersAndScenarioBands() throws Exception {
        ReportWriter.write(SampleReports.failedRun(), tmp);

        String html = Files.readString(tmp.resolve("index.html"));
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(count(html, "<svg ")).isEqualTo(3);
        assertThat(html).contains(">Throughput</h2>", ">Latency</h2>", ">Replicas</h2>");
        assertThat(html).contains("sent/s", "acked/s", "delivered/s", ">p50<", ">p99<", ">desired<", ">ready<");
        // Every chart carries both markers and all three scenario bands.
        assertThat(count(html, ">chat pod deleted</text>")).isEqualTo(3);
        assertThat(count(html, ">Redis pod deleted</text>")).isEqualTo(3);
        assertThat(count(html, "<g class=\"marker\">")).isEqualTo(6);
        assertThat(count(html, "<g class=\"band\">")).isEqualTo(9);
        assertThat(html).contains("stroke-dasharray");
        assertThat(html).contains("<h2>Events</h2>", "<td class=\"num\">31 s</td><td>Redis pod deleted</td>");
        assertThat(html).contains("Parley end-to-end: FAILED", "192.168.49.2:30062", "2025-06-01T10:00:00Z");
        assertThat(html).contains("steady load", "chat pod failover", "Delete one chat pod under load");
        assertThat(html).contains("4 acknowledged messages lost", "recoverySec", "parley-server-0", "4.5");
        assertThat(html).contains("<td class=\"list\">RATE_LIMITED=2<br>UNAVAILABLE=5</td>");
        assertThat(html).containsPattern("<th>false deliveries</th><td class=\"num bad\">2</td>");
        assertThat(html).contains("983.33 msg/s", "45.68 ms");
        assertThat(html).as("no external resources").doesNotContain("<link", "<script", "src=", "url(", "@import");
    }

    @Test
    void scenarioNamesAreEscapedNotMarkup() throws Exception {
        ReportWriter.write(SampleReports.failedRun(), tmp);

        String html = Files.readString(tmp.resolve("index.html"));
        assertThat(html).doesNotContain("<script>");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    }

    @Test
    void aSecondWithoutDeliveriesIsAGapInTheLatencyLineNotZero() throws Exception {
        ReportWriter.write(SampleReports.failedRun(), tmp);

        String html = Files.readString(tmp.resolve("index.html"));
        Matcher p50 = Pattern.compile("<path class=\"series\" d=\"([^\"]*)\"[^>]*><title>p50</title>").matcher(html);
        assertThat(p50.find()).isTrue();
        assertThat(count(p50.group(1), "M")).as("line broken once, at second 30").isEqualTo(2);
    }

    @Test
    void anEmptyRunStillWritesBothFiles() throws Exception {
        ReportWriter.write(SampleReports.emptyRun(), tmp);

        JsonNode root = new ObjectMapper().readTree(tmp.resolve("summary.json").toFile());
        assertThat(root.get("passed").booleanValue()).isTrue();
        assertThat(root.get("samples")).isEmpty();
        assertThat(root.get("replicas")).isEmpty();
        assertThat(root.get("p99Ms").isNull()).as("NaN is not JSON").isTrue();
        String html = Files.readString(tmp.resolve("index.html"));
        assertThat(html).contains("Parley end-to-end: PASSED", "no replica data", "no load samples",
                "no scenarios ran");
        assertThat(html).doesNotContain("<svg ", "<h2>Events</h2>");
        assertThat(html).contains("<th>latency p99</th><td class=\"num\">n/a</td>");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
