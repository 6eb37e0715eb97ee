package dev.parley.e2e.suite.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out {@code summary.json} for scripts and CI: the verdict and every total flat at the top
 * level (so {@code jq .lost} works), then scenarios, failures and the time series. Keys keep one
 * order and doubles keep three decimals, so two runs' files diff line by line.
 */
final class SummaryJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("rounded-doubles")
                    .addSerializer(Double.class, new RoundedDouble())
                    .addSerializer(double.class, new RoundedDouble()))
            .build();

    private SummaryJson() {
    }

    static String render(E2eReport report) {
        try {
            return JSON.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("e2e report is not serialisable", e);
        }
    }

    private static Map<String, Object> tree(E2eReport report) {
        E2eReport.Totals t = report.totals();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", report.mode());
        root.put("startedAt", report.startedAt());
        root.put("target", report.target());
        root.put("passed", report.passed());
        root.put("durationSec", t.durationSec());
        root.put("connections", t.connections());
        root.put("sent", t.sent());
        root.put("acked", t.acked());
        root.put("delivered", t.delivered());
        root.put("lost", t.lost());
        root.put("duplicated", t.duplicated());
        root.put("outOfOrder", t.outOfOrder());
        root.put("falseDelivered", t.falseDelivered());
        root.put("inDoubt", t.inDoubt());
        root.put("errors", t.errors() == null ? Map.of() : new TreeMap<>(t.errors()));
        root.put("disconnects", t.disconnects());
        root.put("reconnects", t.reconnects());
        root.put("throughputPerSec", t.throughputPerSec());
        root.put("p50Ms", t.p50Ms());
        root.put("p99Ms", t.p99Ms());
        root.put("p999Ms", t.p999Ms());
        root.put("maxMs", t.maxMs());
        root.put("maxReplicasSeen", t.maxReplicasSeen());
        root.put("scenarios", report.scenarios().stream().map(SummaryJson::scenario).toList());
        root.put("failures", report.failures());
        root.put("samples", report.samples().stream().map(SummaryJson::sample).toList());
        root.put("markers", report.markers().stream().map(SummaryJson::marker).toList());
        root.put("replicas", report.replicas().stream().map(SummaryJson::replicas).toList());
        return root;
    }

    // Each element is spelled out rather than left to Jackson's record support, so the key order
    // is the one written here whatever the Jackson version.
    private static Map<String, Object> scenario(E2eReport.Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("startSec", s.startSec());
        m.put("endSec", s.endSec());
        m.put("passed", s.passed());
        m.put("failures", s.failures() == null ? List.of() : s.failures());
        m.put("figures", s.figures() == null ? Map.of() : s.figures());
        return m;
    }

    private static Map<String, Object> sample(E2eReport.Sample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tSec", s.tSec());
        m.put("sent", s.sent());
        m.put("acked", s.acked());
        m.put("delivered", s.delivered());
        m.put("errors", s.errors());
        m.put("connected", s.connected());
        m.put("p50Ms", s.p50Ms());
        m.put("p99Ms", s.p99Ms());
        return m;
    }

    private static Map<String, Object> marker(E2eReport.Marker m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tSec", m.tSec());
        out.put("label", m.label());
        return out;
    }

    private static Map<String, Object> replicas(E2eReport.ReplicaSample r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tSec", r.tSec());
        out.put("desired", r.desired());
        out.put("ready", r.ready());
        return out;
    }

    /** Three decimals are finer than anything the run measures; NaN and infinities are not JSON, so null. */
    private static final class RoundedDouble extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                gen.writeNull();
            } else {
                gen.writeNumber(BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).doubleValue());
            }
        }
    }
}
