package dev.parley.e2e.suite.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run's report directory: {@code summary.json} for scripts and CI, {@code index.html}
 * for the person who has to decide whether Parley survived the faults. Both come from the same
 * {@link E2eReport}, so they never disagree.
 */
public final class ReportWriter {
    /** The machine-readable report. */
    public static final String SUMMARY_JSON = "summary.json";
    /** The page to open in a browser. */
    public static final String INDEX_HTML = "index.html";

    private ReportWriter() {
    }

    /**
     * Creates {@code dir} if needed and writes both files into it, replacing earlier ones.
     *
     * @param report the run; its lists must not be null (empty when there was nothing)
     */
    public static void write(E2eReport report, Path dir) throws IOException {
        // Render both before writing either, so a report that cannot render leaves no half directory.
        String json = SummaryJson.render(report);
        String html = HtmlReport.render(report);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SUMMARY_JSON), json, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(INDEX_HTML), html, StandardCharsets.UTF_8);
    }
}
