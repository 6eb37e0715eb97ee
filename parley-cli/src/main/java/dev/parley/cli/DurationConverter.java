package dev.parley.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one duration grammar of every Parley command line and environment variable: a whole number
 * and a unit ({@code 250us}, {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, any case), an
 * ISO-8601 duration ({@code PT1M30S}), or a bare {@code 0}. Other bare numbers are refused rather
 * than guessed at: {@code 30} could mean seconds or milliseconds, and the reader of a script
 * should not have to know which. Zero is accepted; {@link PositiveDurationConverter} refuses it.
 */
public class DurationConverter implements ITypeConverter<Duration> {
    /** What the error messages offer, in the order a person reaches for them. */
    public static final String FORMS = "500ms, 10s, 5m, 1h (also 250us, or ISO-8601 such as PT1M30S)";

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d{1,12})(us|ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            return iso(value, text);
        }
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; write " + FORMS);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
            if (n == 0) {
                return Duration.ZERO;
            }
            throw new TypeConversionException("'" + value + "' has no unit; write " + n + "s, " + n + "ms or "
                    + n + "m, for instance");
        }
        // at most 12 digits: even in hours that stays far inside what a Duration holds
        return switch (unit) {
            case "us" -> Duration.of(n, ChronoUnit.MICROS);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Duration iso(String value, String text) {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration; write " + FORMS);
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; write " + FORMS);
        }
        return d;
    }

    /** {@code d} written back in this grammar, in the largest unit that holds it exactly: {@code 2h}, {@code 90s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return d.toString();
        }
        String[] units = {"h", "m", "s", "ms", "us"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return d.toString();
    }
}
