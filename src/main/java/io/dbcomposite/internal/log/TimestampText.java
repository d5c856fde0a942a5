package io.dbcomposite.internal.log;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Writes a local date-time as the text SQLite's columns hold, {@code uuuu-MM-dd HH:mm:ss.SSS} or
 * {@code uuuu-MM-dd HH:mm:ss.SSSSSS}, without a formatter: the same characters {@code DateTimeFormatter} (and, for the
 * milliseconds form of a modern date, sqlite-jdbc's {@code FastDateFormat}) writes for the years 1 to 9999, in a
 * fraction of their time. Every captured commit writes at least one such text (the log row's {@code created_at}), and
 * every local write of a timestamp another. Other years answer null: the caller uses its formatter.
 */
public final class TimestampText {

    private static final long MIN_EPOCH_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private TimestampText() {
    }

    /**
     * @param micros six digits of fraction (the microseconds) instead of three (the milliseconds; finer digits are
     *     dropped, as the formatter drops them)
     * @return the text, or null outside the years 1 to 9999
     */
    public static String format(LocalDateTime time, boolean micros) {
        LocalDate date = time.toLocalDate();
        long epochDay = date.toEpochDay();
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            return null;
        }
        char[] out = new char[micros ? 26 : 23];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = ' ';
        put(out, 11, time.getHour(), 2);
        out[13] = ':';
        put(out, 14, time.getMinute(), 2);
        out[16] = ':';
        put(out, 17, time.getSecond(), 2);
        out[19] = '.';
        if (micros) {
            put(out, 20, time.getNano() / 1_000, 6);
        } else {
            put(out, 20, time.getNano() / 1_000_000, 3);
        }
        return new String(out);
    }

    /**
     * @return the UTC text of an instant given in epoch milliseconds, milliseconds form, or null outside the years
     *     1 to 9999
     */
    public static String utcMillis(long epochMilli) {
        long seconds = Math.floorDiv(epochMilli, 1_000);
        int millis = (int) Math.floorMod(epochMilli, 1_000);
        return format(LocalDateTime.ofEpochSecond(seconds, millis * 1_000_000, java.time.ZoneOffset.UTC), false);
    }

    /**
     * Writes {@code value} (not negative) as {@code width} digits, zeros first.
     *
     * @return the next position
     */
    public static int put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
