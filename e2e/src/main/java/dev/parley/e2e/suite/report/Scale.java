package dev.parley.e2e.suite.report;

import java.util.ArrayList;
import java.util.List;

/**
 * How an axis of {@link SvgChart} maps values to its length and where it puts its ticks: round
 * steps (1, 2, 2.5, 5 times a power of ten; whole numbers for counts; 15 s, 30 s, 1 min ... for
 * time) so the gridlines read at a glance, or decades for a log axis, where a 3 ms median and a
 * 900 ms failover spike both stay visible.
 *
 * @param min   the value at the axis origin
 * @param max   the value at its end
 * @param log   whether values map by their logarithm
 * @param ticks where the ticks go, ascending
 */
record Scale(double min, double max, boolean log, List<Double> ticks) {
    private static final double[] MANTISSAS = {1, 2, 2.5, 5, 10};
    private static final double[] SECONDS = {1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600};
    // A log axis shows at most this many decades: below that, the bottom of the chart.
    private static final int MAX_DECADES = 5;

    /** About five ticks from 0, the top a little above {@code maxValue} so the highest point is off the frame. */
    static Scale linear(double maxValue) {
        double top = maxValue > 0 ? maxValue * 1.05 : 1;
        return stepped(nice(top / 5), top);
    }

    /** As {@link #linear} with a whole-number step, and room above the highest count. */
    static Scale integers(double maxValue) {
        double top = Math.max(1, Math.ceil(maxValue) + 1);
        return stepped(Math.max(1, Math.ceil(nice(top / 5))), top);
    }

    /** About ten ticks on a time axis from 0 to exactly {@code xMax} seconds. */
    static Scale seconds(double xMax) {
        double raw = xMax / 10;
        double step = Math.ceil(raw / 3600) * 3600;
        for (double s : SECONDS) {
            if (s >= raw) {
                step = s;
                break;
            }
        }
        return new Scale(0, xMax, false, multiples(step, xMax));
    }

    /** Ticks at 1, 2 and 5 of each decade (only at 1 when there are many) from below the smallest value. */
    static Scale log(double minPositive, double maxValue) {
        double top = maxValue > 0 ? roundUp125(maxValue * 1.05) : 1;
        double lowest = minPositive > 0 && minPositive < top ? minPositive : top / 10;
        int hi = (int) Math.ceil(Math.log10(top) - 1e-9);
        int lo = Math.max((int) Math.floor(Math.log10(lowest) + 1e-9), hi - MAX_DECADES);
        if (lo >= hi) {
            lo = hi - 1;
        }
        double bottom = Math.pow(10, lo);
        double[] mantissas = hi - lo > 3 ? new double[] {1} : new double[] {1, 2, 5};
        List<Double> ticks = new ArrayList<>();
        for (int d = lo; d <= hi; d++) {
            for (double m : mantissas) {
                double v = m * Math.pow(10, d);
                if (v <= top * (1 + 1e-9)) {
                    ticks.add(v);
                }
            }
        }
        return new Scale(bottom, top, true, ticks);
    }

    /** Where {@code v} falls, 0 at the origin and 1 at the end; outside values are pinned to the ends. */
    double fraction(double v) {
        double f = log
                ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (v - min) / (max - min);
        return Math.max(0, Math.min(1, f));
    }

    String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? ReportText.count((long) v) : ReportText.num(v);
    }

    private static Scale stepped(double step, double top) {
        double max = Math.ceil(top / step - 1e-9) * step;
        return new Scale(0, max, false, multiples(step, max));
    }

    private static List<Double> multiples(double step, double max) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i * step <= max * (1 + 1e-9); i++) {
            out.add(i * step);
        }
        return out;
    }

    private static double nice(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : MANTISSAS) {
            if (m * power >= raw * 0.999) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double roundUp125(double v) {
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= v * 0.999) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
