package io.dbcomposite.internal.log;

import org.junit.jupiter.api.Test;
import org.sqlite.date.FastDateFormat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written timestamp text writes the very characters of the formatters it stands in for: the library's own
 * ({@code DateTimeFormatter}, for local timestamp columns) and sqlite-jdbc's ({@code FastDateFormat}, for the sync
 * log's {@code created_at}), so nothing read back, compared or ordered as text changes.
 */
class TimestampTextTest {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    @Test
    void writes_what_the_date_time_formatter_writes_for_the_years_1_to_9999() {
        SplittableRandom random = new SplittableRandom(15);
        long min = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 200_000; i++) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(min, max + 1), random.nextInt(1_000_000_000), ZoneOffset.UTC);
            assertThat(TimestampText.format(t, false)).as("%s", t).isEqualTo(MILLIS.format(t));
            assertThat(TimestampText.format(t, true)).as("%s", t).isEqualTo(MICROS.format(t));
        }
        for (LocalDateTime edge : new LocalDateTime[] {LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999),
                LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(2000, 2, 29, 12, 0, 0, 1_000), LocalDateTime.of(1582, 10, 15, 0, 0)}) {
            assertThat(TimestampText.format(edge, false)).isEqualTo(MILLIS.format(edge));
            assertThat(TimestampText.format(edge, true)).isEqualTo(MICROS.format(edge));
        }
    }

    @Test
    void answers_null_outside_the_years_it_writes() {
        assertThat(TimestampText.format(LocalDateTime.of(0, 12, 31, 23, 59), false)).isNull();
        assertThat(TimestampText.format(LocalDateTime.of(10_000, 1, 1, 0, 0), true)).isNull();
        assertThat(TimestampText.format(LocalDateTime.of(-5, 1, 1, 0, 0), true)).isNull();
    }

    @Test
    void writes_what_sqlite_jdbc_writes_for_a_log_row_from_1900_on() {
        FastDateFormat driver = FastDateFormat.getInstance("yyyy-MM-dd HH:mm:ss.SSS", TimeZone.getTimeZone("UTC"));
        SplittableRandom random = new SplittableRandom(16);
        long min = -2_208_988_800_000L; // 1900-01-01T00:00:00Z
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(min, max);
            assertThat(TimestampText.utcMillis(millis)).as("%d", millis).isEqualTo(driver.format(new java.util.Date(millis)));
        }
        assertThat(TimestampText.utcMillis(-1)).isEqualTo(driver.format(new java.util.Date(-1)));
        assertThat(TimestampText.utcMillis(min)).isEqualTo(driver.format(new java.util.Date(min)));
    }
}
