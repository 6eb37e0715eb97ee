package dev.parley.e2e.suite.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Lays out {@code index.html}, the page a person reads after a run: verdict, totals, failures,
 * the throughput, latency and replica charts with the faults and scenario windows on them, then
 * one table per scenario. The page is one file with its style inline and its charts as SVG, so it
 * opens offline, from a CI artefact or a mail attachment.
 */
final class HtmlReport {
    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
                   color: #222; background: #fff; margin: 0; font-size: 14px; line-height: 1.4; }
            main { max-width: 1180px; margin: 0 auto; padding: 16px 20px 40px; }
            header { border-left: 6px solid; padding: 6px 14px; margin-bottom: 18px; }
            header.passed { border-color: #2e7d32; background: #f1f8f1; }
            header.failed { border-color: #c62828; background: #fcf0f0; }
            h1 { margin: 0; font-size: 26px; }
            header.passed h1 { color: #2e7d32; }
            header.failed h1 { color: #c62828; }
            header p { margin: 2px 0 0; color: #444; }
            h2 { font-size: 18px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
            h3 { font-size: 15px; margin: 20px 0 4px; }
            table { border-collapse: collapse; }
            th, td { text-align: left; padding: 3px 12px 3px 0; vertical-align: top; }
            th { font-weight: 600; color: #444; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .totals { display: flex; gap: 56px; flex-wrap: wrap; align-items: flex-start; }
            .totals th { font-weight: normal; color: #555; }
            .bad { color: #c62828; font-weight: 600; }
            .pass { color: #2e7d32; font-weight: 600; }
            .fail { color: #c62828; font-weight: 600; }
            .failures li { color: #8e1c1c; margin: 2px 0; }
            .note { color: #666; font-style: italic; }
            .overview td, .overview th { border-bottom: 1px solid #eee; padding: 4px 16px 4px 0; }
            .scenarios { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 4px 36px; }
            .scenario p { margin: 0 0 4px; color: #444; }
            .scenario table { width: 100%; }
            .scenario th { font-weight: normal; color: #555; width: 45%; }
            .scenario td, .scenario th { border-bottom: 1px solid #f0f0f0; }
            .scenario ul.failures { margin: 0; padding-left: 16px; }
            figure { margin: 0; }
            """;

    private static final String SENT = "#8a96a3";
    private static final String ACKED = "#e8a33d";
    private static final String DELIVERED = "#2f7ebc";
    private static final String P50 = "#2f7ebc";
    private static final String P99 = "#d1495b";
    private static final String DESIRED = "#7f8c9b";
    private static final String READY = "#2f7ebc";

    private final E2eReport report;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private HtmlReport(E2eReport report) {
        this.report = report;
    }

    static String render(E2eReport report) {
        return new HtmlReport(report).page();
    }

    private String page() {
        String verdict = report.passed() ? "PASSED" : "FAILED";
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Parley e2e ").append(esc(report.mode())).append(": ").append(verdict)
                .append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(verdict);
        totals();
        failures();
        charts();
        events();
        scenarios();
        out.append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private void header(String verdict) {
        out.append("<header class=\"").append(report.passed() ? "passed" : "failed").append("\">\n")
                .append("<h1>Parley end-to-end: ").append(verdict).append("</h1>\n")
                .append("<p>mode <b>").append(esc(report.mode())).append("</b> · target <b>")
                .append(esc(report.target())).append("</b> · started ").append(esc(report.startedAt()))
                .append(" · ").append(ReportText.num(report.totals().durationSec())).append(" s</p>\n")
                .append("</header>\n");
    }

    private void totals() {
        E2eReport.Totals t = report.totals();
        out.append("<h2>Totals</h2>\n<div class=\"totals\">\n");
        table(new String[][] {
                {"sent", ReportText.count(t.sent()), ""},
                {"acknowledged", ReportText.count(t.acked()), ""},
                {"delivered", ReportText.count(t.delivered()), ""},
                {"lost", ReportText.count(t.lost()), bad(t.lost())},
                {"duplicated", ReportText.count(t.duplicated()), bad(t.duplicated())},
                {"out of order", ReportText.count(t.outOfOrder()), bad(t.outOfOrder())},
                {"false deliveries", ReportText.count(t.falseDelivered()), bad(t.falseDelivered())},
                {"in doubt", ReportText.count(t.inDoubt()), ""},
        });
        table(new String[][] {
                {"connections", ReportText.count(t.connections()), ""},
                {"errors", ReportText.errors(t.errors()).replace(", ", "\n"), "list"},
                {"disconnects", ReportText.count(t.disconnects()), ""},
                {"reconnects", ReportText.count(t.reconnects()), ""},
                {"max replicas", ReportText.count(t.maxReplicasSeen()), ""},
        });
        table(new String[][] {
                {"throughput", ReportText.num(t.throughputPerSec()) + " msg/s", ""},
                {"latency p50", ReportText.ms(t.p50Ms()), ""},
                {"latency p99", ReportText.ms(t.p99Ms()), ""},
                {"latency p99.9", ReportText.ms(t.p999Ms()), ""},
                {"latency max", ReportText.ms(t.maxMs()), ""},
        });
        out.append("</div>\n");
    }

    /**
     * Rows of name, value and how the value reads: {@code ""} a number, {@code "bad"} a number that
     * should have been 0, {@code "list"} lines of text.
     */
    private void table(String[][] rows) {
        out.append("<table>\n");
        for (String[] r : rows) {
            String cls = switch (r[2]) {
                case "bad" -> "num bad";
                case "list" -> "list";
                default -> "num";
            };
            out.append("<tr><th>").append(esc(r[0])).append("</th><td class=\"").append(cls).append("\">")
                    .append(esc(r[1]).replace("\n", "<br>")).append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static String bad(long n) {
        return n > 0 ? "bad" : "";
    }

    private void failures() {
        if (report.failures().isEmpty()) {
            return;
        }
        out.append("<h2>Failures</h2>\n<ul class=\"failures\">\n");
        report.failures().forEach(f -> out.append("<li>").append(esc(f)).append("</li>\n"));
        out.append("</ul>\n");
    }

    private void charts() {
        double xMax = timeSpan();
        List<E2eReport.Sample> samples = report.samples();
        double[] t = series(samples, E2eReport.Sample::tSec);

        out.append("<h2>Throughput</h2>\n");
        if (samples.isEmpty()) {
            note("no load samples");
        } else {
            figure(decorate(new SvgChart("Throughput: messages per second", "messages/s", xMax))
                    // Sent is wide and pale under acked: when every send is acknowledged the two coincide.
                    .line("sent/s", SENT, 5, t, series(samples, s -> s.sent()))
                    .line("acked/s", ACKED, t, series(samples, s -> s.acked()))
                    .line("delivered/s", DELIVERED, t, series(samples, s -> s.delivered())));
        }

        out.append("<h2>Latency</h2>\n");
        if (samples.isEmpty()) {
            note("no load samples");
        } else {
            // A second with no delivery has no latency: a gap, where 0 ms would read as very fast.
            // Log scale: a failover spike is hundreds of times the median, which would flatten the median to the axis.
            figure(decorate(new SvgChart("Latency: p50 and p99 per second", "latency (ms, log scale)", xMax))
                    .logY()
                    .line("p50", P50, t, series(samples, s -> s.delivered() > 0 ? s.p50Ms() : Double.NaN))
                    .line("p99", P99, t, series(samples, s -> s.delivered() > 0 ? s.p99Ms() : Double.NaN)));
        }

        out.append("<h2>Replicas</h2>\n");
        List<E2eReport.ReplicaSample> replicas = report.replicas();
        if (replicas.isEmpty()) {
            note("no replica data");
        } else {
            double[] rt = series(replicas, E2eReport.ReplicaSample::tSec);
            // Desired is wide and pale under ready, so both show where they agree.
            figure(decorate(new SvgChart("Chat server replicas: desired and ready", "replicas", xMax))
                    .integerTicks()
                    .step("desired", DESIRED, 7, rt, series(replicas, r -> r.desired()))
                    .step("ready", READY, 2, rt, series(replicas, r -> r.ready())));
        }
    }

    /** Every marker with its time: a chart leaves out labels it has no room for. */
    private void events() {
        if (report.markers().isEmpty()) {
            return;
        }
        out.append("<h2>Events</h2>\n<table class=\"events\">\n");
        report.markers().stream()
                .sorted(Comparator.comparingDouble(E2eReport.Marker::tSec))
                .forEach(m -> out.append("<tr><td class=\"num\">").append(ReportText.num(m.tSec()))
                        .append(" s</td><td>").append(esc(m.label())).append("</td></tr>\n"));
        out.append("</table>\n");
    }

    private SvgChart decorate(SvgChart chart) {
        report.scenarios().forEach(s -> chart.band(s.startSec(), s.endSec(), s.name(), !s.passed()));
        report.markers().forEach(m -> chart.marker(m.tSec(), m.label()));
        return chart;
    }

    /** One time range for every chart, so a moment sits at the same place on each. */
    private double timeSpan() {
        double max = report.totals().durationSec();
        for (E2eReport.Sample s : report.samples()) {
            max = Math.max(max, s.tSec());
        }
        for (E2eReport.ReplicaSample r : report.replicas()) {
            max = Math.max(max, r.tSec());
        }
        for (E2eReport.Marker m : report.markers()) {
            max = Math.max(max, m.tSec());
        }
        for (E2eReport.Scenario s : report.scenarios()) {
            max = Math.max(max, s.endSec());
        }
        return Double.isFinite(max) && max > 0 ? max : 1;
    }

    private void figure(SvgChart chart) {
        out.append("<figure>\n").append(chart.render()).append("</figure>\n");
    }

    private void note(String text) {
        out.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
    }

    private void scenarios() {
        out.append("<h2>Scenarios</h2>\n");
        List<E2eReport.Scenario> scenarios = report.scenarios();
        if (scenarios.isEmpty()) {
            note("no scenarios ran");
            return;
        }
        out.append("<table class=\"overview\">\n<tr><th>scenario</th><th>window</th><th>result</th></tr>\n");
        for (int i = 0; i < scenarios.size(); i++) {
            E2eReport.Scenario s = scenarios.get(i);
            out.append("<tr><td><a href=\"#scenario-").append(i + 1).append("\">").append(esc(s.name()))
                    .append("</a></td><td>").append(esc(ReportText.window(s.startSec(), s.endSec())))
                    .append("</td><td>").append(result(s.passed())).append("</td></tr>\n");
        }
        out.append("</table>\n<div class=\"scenarios\">\n");
        for (int i = 0; i < scenarios.size(); i++) {
            scenario(i + 1, scenarios.get(i));
        }
        out.append("</div>\n");
    }

    private void scenario(int number, E2eReport.Scenario s) {
        out.append("<section class=\"scenario\" id=\"scenario-").append(number).append("\">\n")
                .append("<h3>").append(esc(s.name())).append(" ").append(result(s.passed())).append("</h3>\n");
        if (s.description() != null && !s.description().isBlank()) {
            out.append("<p>").append(esc(s.description())).append("</p>\n");
        }
        out.append("<table>\n");
        row("window", esc(ReportText.window(s.startSec(), s.endSec())));
        row("result", result(s.passed()));
        List<String> failures = s.failures() == null ? List.of() : s.failures();
        if (!failures.isEmpty()) {
            StringBuilder list = new StringBuilder("<ul class=\"failures\">");
            failures.forEach(f -> list.append("<li>").append(esc(f)).append("</li>"));
            row("failures", list.append("</ul>").toString());
        }
        Map<String, Object> figures = s.figures() == null ? Map.of() : s.figures();
        figures.forEach((name, value) -> row(name, "<span class=\"num\">" + esc(ReportText.figure(value)) + "</span>"));
        out.append("</table>\n</section>\n");
    }

    /** A row whose value is already HTML. */
    private void row(String name, String html) {
        out.append("<tr><th>").append(esc(name)).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static String result(boolean passed) {
        return passed ? "<span class=\"pass\">PASS</span>" : "<span class=\"fail\">FAIL</span>";
    }

    private static <T> double[] series(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).toArray();
    }

    private static String esc(String s) {
        return HtmlText.escape(s);
    }
}
