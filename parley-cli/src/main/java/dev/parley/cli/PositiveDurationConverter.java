package dev.parley.cli;

import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/** {@link DurationConverter}'s grammar for options where zero makes no sense (a timeout, a wait). */
public final class PositiveDurationConverter extends DurationConverter {
    @Override
    public Duration convert(String value) {
        Duration d = super.convert(value);
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' is zero; give a positive duration such as 10s");
        }
        return d;
    }
}
