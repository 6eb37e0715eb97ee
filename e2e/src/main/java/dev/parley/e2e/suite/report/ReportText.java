package dev.parley.e2e.suite.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * How the report's numbers read in text, shared by the page and the console summary so that the
 * same figure never shows two ways: counts with thousands separators, other numbers with at most
 * two decimals, windows in seconds.
 */
final class ReportText {
    private ReportText() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A measured value: at most two decimals, no trailing zeros, "n/a" when there was nothing to measure. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return "-0".equals(s) ? "0" : s;
    }

    static String ms(double v) {
        return Double.isFinite(v) ? num(v) + " ms" : "n/a";
    }

    static String window(double startSec, double endSec) {
        return num(startSec) + "–" + num(endSec) + " s";
    }

    /** Errors by code in code order, so two runs print them alike whatever map they came in. */
    static String errors(Map<String, Long> errors) {
        if (errors == null || errors.isEmpty()) {
            return "none";
        }
        StringJoiner out = new StringJoiner(", ");
        new TreeMap<>(errors).forEach((code, n) -> out.add(code + "=" + count(n == null ? 0 : n)));
        return out.toString();
    }

    /** A scenario figure: numbers as above, anything else as its text. */
    static String figure(Object value) {
        if (value == null) {
            return "n/a";
        }
        if (value instanceof Double || value instanceof Float) {
            return num(((Number) value).doubleValue());
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return count(((Number) value).longValue());
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return String.valueOf(value).replace(", ", ",");
        }
        return String.valueOf(value);
    }

    /** Text that must stay on one line (names, figures): any run of whitespace becomes one space. */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }
}
