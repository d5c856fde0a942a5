package io.dbcomposite.internal.capture;

import io.dbcomposite.internal.log.TimestampText;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads and writes the one text form of an {@link Instant} that payloads hold, {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} (what
 * {@code DateTimeFormatter.ISO_INSTANT}, and so Hibernate's {@code InstantJavaType}, writes for the years 0000 to 9999),
 * without a {@code DateTimeFormatter}: the replay decodes one per change of an entity with an instant, and the
 * formatter's general parse was the largest part of decoding a payload. Any other text (another year range, a leap
 * second, an offset, a date that does not exist) is not read here: {@link #parse} answers null and the caller uses the
 * general parse, which gives the same instant or the same error as before.
 */
final class InstantText {

    private static final int[] FRACTION_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private InstantText() {
    }

    /** @return the instant written as {@code text} in the canonical form, or null if {@code text} is not in it */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || hour > 23
                || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fractionDigits = n - 21;
            int fraction = digits(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * FRACTION_SCALE[fractionDigits];
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /**
     * @return {@code instant} as {@code DateTimeFormatter.ISO_INSTANT} writes it (the fraction in groups of three digits,
     *     none when zero), for the years 0000 to 9999; null for another year (the caller uses the formatter)
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            return null;
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        char[] out = new char[30];
        int n = 0;
        n = TimestampText.put(out, n, date.getYear(), 4);
        out[n++] = '-';
        n = TimestampText.put(out, n, date.getMonthValue(), 2);
        out[n++] = '-';
        n = TimestampText.put(out, n, date.getDayOfMonth(), 2);
        out[n++] = 'T';
        n = TimestampText.put(out, n, secondOfDay / 3_600, 2);
        out[n++] = ':';
        n = TimestampText.put(out, n, secondOfDay / 60 % 60, 2);
        out[n++] = ':';
        n = TimestampText.put(out, n, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = TimestampText.put(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                n = TimestampText.put(out, n, nanos / 1_000, 6);
            } else {
                n = TimestampText.put(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    private static final long MIN_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    /** @return the number written by {@code count} ASCII digits at {@code from}, or -1 if one is not a digit */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
