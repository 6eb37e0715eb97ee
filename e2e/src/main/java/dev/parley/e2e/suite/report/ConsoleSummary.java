package dev.parley.e2e.suite.report;

import dev.parley.e2e.text.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few lines printed when a run ends: the verdict, the totals, one line per scenario and the
 * failures, so a terminal or CI log says what happened without opening the report page.
 */
public final class ConsoleSummary {
    private static final String NL = System.lineSeparator();
    // Keeps a scenario line within a 120-column terminal; the page has every figure.
    private static final int FIGURES_WIDTH = 72;
    private static final int NAME_WIDTH = 32;

    private ConsoleSummary() {
    }

    public static String format(E2eReport report) {
        E2eReport.Totals t = report.totals();
        StringBuilder out = new StringBuilder(2048);
        out.append("Parley e2e ").append(report.passed() ? "PASSED" : "FAILED")
                .append("  mode ").append(ReportText.oneLine(report.mode()))
                .append("  target ").append(ReportText.oneLine(report.target()))
                .append("  started ").append(ReportText.oneLine(report.startedAt()))
                .append("  ").append(ReportText.num(t.durationSec())).append(" s").append(NL).append(NL);

        out.append(grid(new String[][] {
                {"sent", ReportText.count(t.sent()), "lost", ReportText.count(t.lost()),
                        "connections", ReportText.count(t.connections())},
                {"acked", ReportText.count(t.acked()), "duplicated", ReportText.count(t.duplicated()),
                        "disconnects", ReportText.count(t.disconnects())},
                {"delivered", ReportText.count(t.delivered()), "out of order", ReportText.count(t.outOfOrder()),
                        "reconnects", ReportText.count(t.reconnects())},
                {"in doubt", ReportText.count(t.inDoubt()), "false delivered", ReportText.count(t.falseDelivered()),
                        "max replicas", ReportText.count(t.maxReplicasSeen())},
        }));
        out.append("  errors      ").append(ReportText.errors(t.errors())).append(NL);
        out.append("  throughput  ").append(ReportText.num(t.throughputPerSec())).append(" msg/s").append(NL);
        out.append("  latency     p50 ").append(ReportText.ms(t.p50Ms()))
                .append("  p99 ").append(ReportText.ms(t.p99Ms()))
                .append("  p99.9 ").append(ReportText.ms(t.p999Ms()))
                .append("  max ").append(ReportText.ms(t.maxMs())).append(NL);

        if (!report.scenarios().isEmpty()) {
            out.append(NL).append("Scenarios").append(NL);
            List<String[]> rows = new ArrayList<>();
            for (E2eReport.Scenario s : report.scenarios()) {
                rows.add(new String[] {s.passed() ? "PASS" : "FAIL", shorten(ReportText.oneLine(s.name()), NAME_WIDTH),
                        ReportText.window(s.startSec(), s.endSec()), figures(s.figures())});
            }
            // The window is right-aligned so its seconds line up: "0–25 s" over "25–50 s".
            out.append(TextTable.format(rows, "  ", 2));
        }
        if (!report.failures().isEmpty()) {
            out.append(NL).append("Failures").append(NL);
            report.failures().forEach(f -> out.append("  - ").append(ReportText.oneLine(f)).append(NL));
        }
        return out.toString();
    }

    /** Label and value pairs side by side: labels left-aligned, values right-aligned, per column. */
    private static String grid(String[][] rows) {
        int pairs = rows[0].length / 2;
        int[] labelWidth = new int[pairs];
        int[] valueWidth = new int[pairs];
        for (String[] r : rows) {
            for (int p = 0; p < pairs; p++) {
                labelWidth[p] = Math.max(labelWidth[p], r[2 * p].length());
                valueWidth[p] = Math.max(valueWidth[p], r[2 * p + 1].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int p = 0; p < pairs; p++) {
                line.append(pad(r[2 * p], labelWidth[p])).append("  ")
                        .append(" ".repeat(valueWidth[p] - r[2 * p + 1].length())).append(r[2 * p + 1]).append("    ");
            }
            out.append(line.toString().stripTrailing()).append(NL);
        }
        return out.toString();
    }

    /** The scenario's figures in its own order, as many as fit, then how many more the page has. */
    private static String figures(Map<String, Object> figures) {
        if (figures == null || figures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            String item = ReportText.oneLine(e.getKey()) + "=" + ReportText.oneLine(ReportText.figure(e.getValue()));
            if (shown > 0 && out.length() + 1 + item.length() > FIGURES_WIDTH) {
                break;
            }
            out.append(shown > 0 ? " " : "").append(item);
            shown++;
        }
        int more = figures.size() - shown;
        return more > 0 ? out + " (+" + more + " more)" : out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String shorten(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
