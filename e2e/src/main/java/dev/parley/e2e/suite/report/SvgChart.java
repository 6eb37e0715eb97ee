package dev.parley.e2e.suite.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One time chart as inline SVG: lines or steps over seconds, scenario windows as shaded bands,
 * fault moments as dashed lines, each labelled. Drawn here rather than by a chart library so the
 * report page opens offline and from a CI artefact, with no script at all.
 *
 * <p>Every chart of a page gets the same width, margins and time range, so the moments line up
 * from one chart to the next.
 */
final class SvgChart {
    private static final double WIDTH = 1160;
    private static final double LEFT = 72;
    private static final double PLOT_RIGHT = WIDTH - 24;
    private static final double PLOT_HEIGHT = 220;
    private static final double LEGEND_HEIGHT = 24;
    private static final double BAND_LANE = 20;
    private static final double MARKER_LANE = 17;
    private static final double BOTTOM = 44;
    // Rows of labels above the plot, per kind; a label that finds no room in them is shortened or left out.
    private static final int MAX_LANES = 4;
    // Average glyph width of the 12px system sans, a little generous, to keep estimated labels apart.
    private static final double CHAR_WIDTH = 7.2;
    private static final int MAX_LABEL_CHARS = 48;

    private final String title;
    private final String yUnit;
    private final double xMax;
    private boolean integerTicks;
    private boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();

    private record Series(String name, String colour, double width, boolean step, double[] t, double[] v) {
        /** Wide lines are pale, so that a thin one drawn over them stays readable where both agree. */
        String opacity() {
            return width > 3 ? " stroke-opacity=\"0.35\"" : "";
        }
    }

    private record Band(double from, double to, String label, boolean failed) {
    }

    private record Mark(double t, String label) {
    }

    /**
     * @param title what the chart shows, for screen readers and the hover text
     * @param yUnit the y axis title, e.g. {@code messages/s}
     * @param xMax  the end of the time axis in seconds (it starts at 0)
     */
    SvgChart(String title, String yUnit, double xMax) {
        this.title = title;
        this.yUnit = yUnit;
        this.xMax = xMax > 0 ? xMax : 1;
    }

    /** A logarithmic y axis, for values that span decades (latency); values at or below 0 sit on the bottom. */
    SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** Whole-number y ticks only (replica counts). */
    SvgChart integerTicks() {
        this.integerTicks = true;
        return this;
    }

    /** A line through (t[i], v[i]); a NaN value leaves a gap. */
    SvgChart line(String name, String colour, double[] t, double[] v) {
        return line(name, colour, 1.6, t, v);
    }

    /** As {@link #line(String, String, double[], double[])}; wider than 3px is drawn pale, to lie under a thin one. */
    SvgChart line(String name, String colour, double width, double[] t, double[] v) {
        series.add(new Series(name, colour, width, false, t, v));
        return this;
    }

    /** A value that holds until the next point, and after the last one to the end of the axis; wide is pale. */
    SvgChart step(String name, String colour, double width, double[] t, double[] v) {
        series.add(new Series(name, colour, width, true, t, v));
        return this;
    }

    SvgChart band(double from, double to, String label, boolean failed) {
        bands.add(new Band(from, to, label, failed));
        return this;
    }

    SvgChart marker(double t, String label) {
        marks.add(new Mark(t, label));
        return this;
    }

    String render() {
        // Adjacent windows share a lane: their brackets are drawn 2px short of each end, so they touch without a gap.
        Lanes bandLanes = new Lanes(0);
        List<Placed> bandLabels = bands.stream().map(b -> placeBand(bandLanes, b)).toList();
        Lanes markLanes = new Lanes(8);
        List<Placed> markLabels = marks.stream().map(m -> placeMark(markLanes, m)).toList();
        Layout at = new Layout(bandLanes.count(), markLanes.count());
        Scale y = logY ? Scale.log(minPositive(), maxValue())
                : integerTicks ? Scale.integers(maxValue()) : Scale.linear(maxValue());

        StringBuilder svg = new StringBuilder(16_384);
        svg.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %s %s\" width=\"100%%\""
                        + " role=\"img\" aria-label=\"%s\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n",
                n(WIDTH), n(at.height()), esc(title)));
        svg.append("<title>").append(esc(title)).append("</title>\n");
        // Back to front: everything is drawn over the bands, and the lines over the grid and markers.
        legend(svg);
        bands(svg, at, bandLabels);
        axes(svg, at, y);
        markers(svg, at, markLabels);
        for (Series s : series) {
            svg.append(fmt("<path class=\"series\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\""
                            + " stroke-linejoin=\"round\"%s><title>%s</title></path>\n",
                    path(s, y, at), s.colour(), n(s.width()), s.opacity(), esc(s.name())));
        }
        svg.append(fmt("<path d=\"M%s %sV%sH%s\" fill=\"none\" stroke=\"#888\"/>\n", n(LEFT), n(at.plotTop()),
                n(at.plotBottom()), n(PLOT_RIGHT)));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void legend(StringBuilder svg) {
        double lx = LEFT;
        for (Series s : series) {
            svg.append(fmt("<line x1=\"%s\" x2=\"%s\" y1=\"12\" y2=\"12\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                    n(lx), n(lx + 18), s.colour(), n(Math.max(2.5, s.width())), s.opacity()));
            svg.append(fmt("<text x=\"%s\" y=\"16\" fill=\"#222\">%s</text>\n", n(lx + 24), esc(s.name())));
            lx += 24 + textWidth(s.name()) + 20;
        }
    }

    private void bands(StringBuilder svg, Layout at, List<Placed> labels) {
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            Placed p = labels.get(i);
            double x0 = clamp(x(b.from()));
            double x1 = clamp(x(b.to()));
            String colour = b.failed() ? "#e4572e" : "#4c78a8";
            svg.append(fmt("<g class=\"band\"><title>%s</title>", esc(b.label() + ", "
                    + ReportText.window(b.from(), b.to()) + (b.failed() ? ", FAILED" : ""))));
            // Alternate shades, so that two windows side by side still read as two.
            svg.append(fmt("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" fill-opacity=\"%s\"/>",
                    n(x0), n(at.plotTop()), n(Math.max(1, x1 - x0)), n(PLOT_HEIGHT), colour,
                    i % 2 == 0 ? "0.08" : "0.13"));
            if (p.lane() >= 0) {
                double ly = at.bandTop() + p.lane() * BAND_LANE;
                svg.append(fmt("<path d=\"M%s %sv-5H%sv5\" fill=\"none\" stroke=\"%s\" stroke-opacity=\"0.6\"/>",
                        n(x0 + 2), n(ly + 18), n(Math.max(x0 + 2, x1 - 2)), colour));
                svg.append(fmt("<text x=\"%s\" y=\"%s\" fill=\"%s\">%s</text>", n(p.x()), n(ly + 10),
                        b.failed() ? "#b03a1e" : "#44546a", esc(p.text())));
            }
            svg.append("</g>\n");
        }
    }

    private void axes(StringBuilder svg, Layout at, Scale y) {
        for (double v : y.ticks()) {
            double py = at.y(y, v);
            svg.append(fmt("<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#e3e3e3\"/>", n(LEFT), n(PLOT_RIGHT),
                    n(py), n(py)));
            svg.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"#555\">%s</text>\n", n(LEFT - 6),
                    n(py + 4), y.label(v)));
        }
        Scale time = Scale.seconds(xMax);
        double bottom = at.plotBottom();
        for (double v : time.ticks()) {
            double px = x(v);
            svg.append(fmt("<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#888\"/>", n(px), n(px),
                    n(bottom), n(bottom + 4)));
            svg.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n", n(px),
                    n(bottom + 17), time.label(v)));
        }
        svg.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#333\">time (s)</text>\n",
                n((LEFT + PLOT_RIGHT) / 2), n(bottom + 34)));
        svg.append(fmt("<text transform=\"translate(16 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">%s"
                + "</text>\n", n((at.plotTop() + bottom) / 2), esc(yUnit)));
    }

    private void markers(StringBuilder svg, Layout at, List<Placed> labels) {
        for (int i = 0; i < marks.size(); i++) {
            Mark m = marks.get(i);
            Placed p = labels.get(i);
            double mx = clamp(x(m.t()));
            double ly = p.lane() < 0 ? at.plotTop() - 2 : at.markTop() + p.lane() * MARKER_LANE;
            svg.append(fmt("<g class=\"marker\"><title>%s</title>",
                    esc(m.label() + " at " + ReportText.num(m.t()) + " s")));
            svg.append(fmt("<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>",
                    n(mx), n(mx), n(ly + 2), n(at.plotBottom())));
            if (p.lane() >= 0) {
                svg.append(fmt("<text x=\"%s\" y=\"%s\"%s fill=\"#222\">%s</text>", n(p.x()), n(ly + 12),
                        p.flipped() ? " text-anchor=\"end\"" : "", esc(p.text())));
            }
            svg.append("</g>\n");
        }
    }

    /**
     * The window's name over it, in the first lane where the whole name fits; failing that, as much
     * of it as fits over the window; failing that, none (the band keeps its hover text, and the
     * page lists the scenarios).
     */
    private Placed placeBand(Lanes lanes, Band b) {
        double x0 = clamp(x(b.from()));
        double x1 = clamp(x(b.to()));
        String label = shorten(b.label(), MAX_LABEL_CHARS);
        double textX = Math.min(x0 + 3, PLOT_RIGHT - textWidth(label));
        int lane = lanes.place(Math.min(x0 + 2, textX), Math.max(x1 - 2, textX + textWidth(label) + 4));
        if (lane < 0) {
            int fit = (int) ((x1 - x0 - 8) / CHAR_WIDTH);
            if (fit >= 4) {
                label = shorten(label, fit);
                textX = x0 + 3;
                lane = lanes.place(x0 + 2, x1 - 2);
            }
        }
        return new Placed(lane, textX, false, lane < 0 ? "" : label);
    }

    /**
     * The marker's label right of its line, or left of it near the end of the axis; none when every
     * lane is taken there (the line keeps its hover text, and the page lists the events).
     */
    private Placed placeMark(Lanes lanes, Mark m) {
        String label = shorten(m.label(), MAX_LABEL_CHARS);
        double mx = clamp(x(m.t()));
        double w = textWidth(label);
        boolean flip = mx + 4 + w > PLOT_RIGHT;
        int lane = flip ? lanes.place(mx - 4 - w, mx) : lanes.place(mx, mx + 4 + w);
        return new Placed(lane, flip ? mx - 4 : mx + 4, flip, lane < 0 ? "" : label);
    }

    private String path(Series s, Scale y, Layout at) {
        StringBuilder d = new StringBuilder(s.t().length * 14);
        boolean pen = false;
        for (int i = 0; i < s.t().length; i++) {
            double v = s.v()[i];
            if (!Double.isFinite(v)) {
                pen = false;
                continue;
            }
            double px = clamp(x(s.t()[i]));
            double py = at.y(y, v);
            if (!pen) {
                d.append('M').append(n(px)).append(' ').append(n(py));
            } else if (s.step()) {
                d.append('H').append(n(px)).append('V').append(n(py));
            } else {
                d.append('L').append(n(px)).append(' ').append(n(py));
            }
            pen = true;
            if (s.step() && (i + 1 == s.t().length)) {
                d.append('H').append(n(clamp(x(xMax))));
            }
        }
        return d.toString();
    }

    private double maxValue() {
        double max = 0;
        for (Series s : series) {
            for (double v : s.v()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private double minPositive() {
        double min = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.v()) {
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                }
            }
        }
        return min;
    }

    private double x(double t) {
        return LEFT + t / xMax * (PLOT_RIGHT - LEFT);
    }

    private static double clamp(double px) {
        return Math.max(LEFT, Math.min(PLOT_RIGHT, px));
    }

    private static double textWidth(String s) {
        return s.length() * CHAR_WIDTH;
    }

    private static String shorten(String label, int maxChars) {
        String s = ReportText.oneLine(label);
        return s.length() <= maxChars ? s : s.substring(0, maxChars - 1).stripTrailing() + "…";
    }

    private static String esc(String s) {
        return HtmlText.escape(s);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A coordinate: one decimal is finer than a pixel and keeps the page small. */
    private static String n(double v) {
        return ReportText.num(Math.round(v * 10) / 10.0);
    }

    /** Heights from the top: legend, scenario lanes, marker lanes, plot, time axis. */
    private record Layout(int bandLanes, int markLanes) {
        double bandTop() {
            return LEGEND_HEIGHT + 4;
        }

        double markTop() {
            return bandTop() + bandLanes * BAND_LANE;
        }

        double plotTop() {
            return markTop() + markLanes * MARKER_LANE + 6;
        }

        double plotBottom() {
            return plotTop() + PLOT_HEIGHT;
        }

        double height() {
            return plotBottom() + BOTTOM;
        }

        double y(Scale scale, double v) {
            return plotBottom() - scale.fraction(v) * PLOT_HEIGHT;
        }
    }

    /** A label placed in a lane of the strip above the plot; lane -1: no room, no label. */
    private record Placed(int lane, double x, boolean flipped, String text) {
    }

    /** Rows of labels: each label takes the first row where it overlaps none already placed, if any. */
    private static final class Lanes {
        private final double gap;
        private final List<List<double[]>> lanes = new ArrayList<>();

        Lanes(double gap) {
            this.gap = gap;
        }

        int place(double from, double to) {
            for (int i = 0; i < lanes.size(); i++) {
                if (lanes.get(i).stream().noneMatch(r -> from < r[1] + gap && to + gap > r[0])) {
                    lanes.get(i).add(new double[] {from, to});
                    return i;
                }
            }
            if (lanes.size() == MAX_LANES) {
                return -1;
            }
            lanes.add(new ArrayList<>(List.of(new double[] {from, to})));
            return lanes.size() - 1;
        }

        int count() {
            return lanes.size();
        }
    }
}
