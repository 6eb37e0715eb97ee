package dev.parley.e2e.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.e2e.text.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints reports for people (a table with one column per run, so the server's figures stand next
 * to the relay's floor) or for scripts (JSON).
 */
final class ReportFormatter {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ReportFormatter() {
    }

    static String json(List<LoadReport> reports) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", reports.stream().allMatch(LoadReport::ok));
        root.put("runs", reports);
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is not serialisable", e);
        }
    }

    static String text(List<LoadReport> reports) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row(reports, "", LoadReport::label));
        row(rows, reports, "target", LoadReport::target);
        row(rows, reports, "transport", LoadReport::transport);
        row(rows, reports, "window", r -> String.format(Locale.ROOT, "%ss after %ss warmup",
                num(r.load().durationSeconds()), num(r.load().warmupSeconds())));
        row(rows, reports, "drain used / allowed", r -> String.format(Locale.ROOT, "%.2fs / %ss%s",
                r.load().drainedSeconds(), num(r.load().drainSeconds()), r.load().drainComplete() ? "" : " TIMED OUT"));
        row(rows, reports, "connections reached", r -> r.connections().reached() + "/" + r.connections().requested());
        row(rows, reports, "connect failures", r -> Long.toString(r.connections().failures()));
        row(rows, reports, "disconnects", r -> Long.toString(r.connections().disconnects()));
        row(rows, reports, "rate offered (msg/s)", r -> Long.toString(r.load().rate()));
        row(rows, reports, "send rate (msg/s)", r -> String.format(Locale.ROOT, "%.1f", r.sendRate()));
        row(rows, reports, "sent", r -> Long.toString(r.messages().sent()));
        row(rows, reports, "backpressured", r -> Long.toString(r.messages().backpressured()));
        row(rows, reports, "skipped (closed)", r -> Long.toString(r.messages().skippedClosed()));
        row(rows, reports, "acked", r -> Long.toString(r.messages().acked()));
        row(rows, reports, "errors", r -> errors(r.messages().errors()));
        row(rows, reports, "unanswered", r -> Long.toString(r.messages().unanswered()));
        row(rows, reports, "delivered", r -> Long.toString(r.messages().delivered()));
        row(rows, reports, "lost", r -> Long.toString(r.messages().lost()));
        row(rows, reports, "duplicated", r -> Long.toString(r.messages().duplicated()));
        row(rows, reports, "out of order", r -> Long.toString(r.messages().outOfOrder()));
        row(rows, reports, "unexpected", r -> Long.toString(r.messages().unexpected()));
        row(rows, reports, "throughput (deliv/s)", r -> String.format(Locale.ROOT, "%.1f", r.throughput()));
        row(rows, reports, "latency p50 (ms)", r -> ms(r.latencyMs().p50()));
        row(rows, reports, "latency p90 (ms)", r -> ms(r.latencyMs().p90()));
        row(rows, reports, "latency p99 (ms)", r -> ms(r.latencyMs().p99()));
        row(rows, reports, "latency p99.9 (ms)", r -> ms(r.latencyMs().p999()));
        row(rows, reports, "latency max (ms)", r -> ms(r.latencyMs().max()));
        row(rows, reports, "latency samples", r -> Long.toString(r.latencyMs().count()));
        row(rows, reports, "send lag p99 (ms)", r -> ms(r.sendLagMs().p99()));
        row(rows, reports, "send lag max (ms)", r -> ms(r.sendLagMs().max()));
        row(rows, reports, "generator CPU (cores)", r -> cores(r.cpu().generatorCores()));
        row(rows, reports, "target CPU (cores)", r -> cores(r.cpu().targetCores()));
        row(rows, reports, "  per process (cores)", r -> each(r.cpu().perTargetCores(), 1, "%.2f"));
        row(rows, reports, "  per delivered msg (µs)", r -> r.throughput() <= 0 ? "n/a"
                : each(r.cpu().perTargetCores(), 1e6 / r.throughput(), "%.1f"));
        row(rows, reports, "machine CPU pressure", r -> r.cpu().cpuPressure() == null ? "n/a"
                : String.format(Locale.ROOT, "%.0f%%", 100 * r.cpu().cpuPressure()));
        row(rows, reports, "result", r -> r.ok() ? "OK" : "FAILED");
        return TextTable.format(rows, "", -1);
    }

    private static String[] row(List<LoadReport> reports, String name, Function<LoadReport, String> value) {
        String[] cells = new String[reports.size() + 1];
        cells[0] = name;
        for (int i = 0; i < reports.size(); i++) {
            cells[i + 1] = value.apply(reports.get(i));
        }
        return cells;
    }

    private static void row(List<String[]> rows, List<LoadReport> reports, String name,
                            Function<LoadReport, String> value) {
        rows.add(row(reports, name, value));
    }

    private static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        errors.forEach((code, n) -> b.append(b.length() == 0 ? "" : ",").append(code).append('=').append(n));
        return b.toString();
    }

    /** One figure per target process (server, then Redis), times {@code scale}, joined by "+". */
    private static String each(List<Double> perProcess, double scale, String format) {
        if (perProcess.isEmpty()) {
            return "n/a";
        }
        StringBuilder b = new StringBuilder();
        for (Double v : perProcess) {
            b.append(b.length() == 0 ? "" : " + ").append(v == null ? "n/a" : String.format(Locale.ROOT, format, v * scale));
        }
        return b.toString();
    }

    private static String cores(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String num(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
