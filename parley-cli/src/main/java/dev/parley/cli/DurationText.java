package dev.parley.cli;

import java.time.Duration;

/**
 * The one way Parley programs print a duration to a person: {@code 491 ms}, {@code 1.5 s},
 * {@code 15 s}, {@code 2 min 30 s}. A number, a space, a unit; a tenth of a second only where it
 * still matters (under 10 s).
 */
public final class DurationText {
    private DurationText() {
    }

    public static String format(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 10_000) {
            long tenths = Math.round(millis / 100.0);
            return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + " s";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
