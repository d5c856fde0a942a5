package io.dbcomposite.internal.config;

import io.dbcomposite.CompositeConfigurationException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads duration settings: ISO-8601 ({@code PT1S}) or a number with a unit ({@code 500ms}, {@code 1s}, {@code 5m},
 * {@code 2h}, {@code 7d}), within the range each setting allows.
 */
final class DurationParser {

    static final String FORMATS = "ISO-8601 (PT1S) or a number with a unit: ms, s, m, h, d (500ms, 1s, 5m, 2h, 7d)";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationParser() {
    }

    /**
     * @param key the setting, for the message
     * @param value a {@link Duration}, or text in one of the {@link #FORMATS}
     * @param min the shortest valid duration
     * @param max the longest valid duration
     * @return the duration
     * @throws CompositeConfigurationException naming the key, the valid range and the formats, if {@code value} is
     *         not a duration, is too long for any {@link Duration}, or is out of range
     */
    static Duration read(String key, Object value, Duration min, Duration max) {
        Duration d;
        if (value instanceof Duration given) {
            d = given;
        } else {
            String text = String.valueOf(value).trim();
            try {
                d = parse(text);
            } catch (ArithmeticException tooLong) {
                throw outOfRange(key, text, min, max);
            }
            if (d == null) {
                throw new CompositeConfigurationException("Bad duration '" + text + "' for setting '" + key + "': "
                        + validValues(min, max));
            }
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw outOfRange(key, String.valueOf(value).trim(), min, max);
        }
        return d;
    }

    /**
     * @return the duration, or {@code null} when {@code text} is in neither format
     * @throws ArithmeticException when {@code text} is well formed but longer than any {@link Duration}
     */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                // the pattern admits only digits, so this is a number beyond a long
                throw new ArithmeticException("duration too long: " + text);
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            // java.time reports an overflowing field as a parse error caused by the overflow
            if (e.getCause() instanceof ArithmeticException overflow) {
                throw overflow;
            }
            return null;
        }
    }

    /** @return the duration in the largest unit that states it exactly ({@code 365d}, {@code 250ms}), else ISO-8601 */
    static String format(Duration d) {
        if (d.isZero() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    private static String validValues(Duration min, Duration max) {
        return "valid values are durations from " + format(min) + " to " + format(max) + ", written as " + FORMATS;
    }

    private static CompositeConfigurationException outOfRange(String key, String value, Duration min, Duration max) {
        return new CompositeConfigurationException("Duration '" + value + "' for setting '" + key + "' is out of range: "
                + validValues(min, max));
    }
}
