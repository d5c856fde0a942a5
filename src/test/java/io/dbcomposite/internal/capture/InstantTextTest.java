package io.dbcomposite.internal.capture;

import org.hibernate.type.descriptor.java.InstantJavaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The payloads' instant text is read without a formatter, to the same instant as Hibernate's own parse. */
class InstantTextTest {

    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void every_instant_hibernate_writes_for_the_years_0000_to_9999_reads_back_as_hibernate_reads_it() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(MIN, MAX + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = InstantJavaType.INSTANCE.toString(instant);
            assertThat(InstantText.parse(text)).as(text).isEqualTo(instant).isEqualTo(InstantJavaType.INSTANCE.fromString(text));
        }
    }

    @Test
    void every_instant_of_the_years_0000_to_9999_is_written_as_hibernate_writes_it() {
        SplittableRandom random = new SplittableRandom(51);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(MIN, MAX + 1);
            int nanos = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                case 3 -> random.nextInt(10) * 100_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InstantText.format(instant)).isEqualTo(InstantJavaType.INSTANCE.toString(instant));
        }
        for (String edge : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2024-02-29T12:00:00.000001Z", "2000-01-01T00:00:00.100Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(InstantText.format(instant)).isEqualTo(InstantJavaType.INSTANCE.toString(instant)).isEqualTo(edge);
        }
    }

    @Test
    void an_instant_outside_the_years_0000_to_9999_is_left_to_the_formatter() {
        assertThat(InstantText.format(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
        assertThat(InstantText.format(Instant.parse("-0001-12-31T23:59:59Z"))).isNull();
        assertThat(InstantText.format(Instant.MIN)).isNull();
        assertThat(InstantText.format(Instant.MAX)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-05T21:44:29Z", "2026-12-05T21:44:29.1Z", "2026-12-05T21:44:29.12Z",
            "2026-12-05T21:44:29.1234Z", "2026-12-05T21:44:29.12345Z", "2026-12-05T21:44:29.1234567Z",
            "2026-12-05T21:44:29.12345678Z", "2026-12-05T21:44:29.123456789Z", "2024-02-29T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00.000001Z"})
    void any_number_of_fraction_digits_reads_as_the_formatter_reads_it(String text) {
        assertThat(InstantText.parse(text)).isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2016-12-31T23:59:60Z",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
            "2026-01-01T00:00:00+01:00", "2026-01-01 00:00:00Z", "2026-1-01T00:00:00Z", "2026-01-01T00:00:0aZ",
            "2026-01-01T00:00:00,5Z", "2026-01-01T00:00:00z", "2026-01-01"})
    void any_other_text_is_left_to_the_general_parse(String text) {
        assertThat(InstantText.parse(text)).isNull();
    }
}
