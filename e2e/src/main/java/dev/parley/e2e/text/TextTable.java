package dev.parley.e2e.text;

import java.util.List;

/** Plain-text tables for the console: every column as wide as its widest cell, two spaces apart. */
public final class TextTable {
    private TextTable() {
    }

    /**
     * The rows as aligned lines, each starting with {@code indent}; column {@code rightAligned}
     * (-1 for none) is aligned right, the others left. Trailing blanks are dropped.
     */
    public static String format(List<String[]> rows, String indent, int rightAligned) {
        if (rows.isEmpty()) {
            return "";
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                String gap = " ".repeat(widths[i] - r[i].length());
                line.append(i == rightAligned ? gap + r[i] : r[i] + gap).append("  ");
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
