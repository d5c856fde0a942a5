package io.dbcomposite.pairs;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the local SQLite side stores for the exact types, read with {@code typeof} from the file, and what SQL on
 * those columns means there: a decimal of at most 15 significant digits is a number (compares, sorts and adds up as
 * one), a wider one a BLOB of its digits (exact, equal to itself only); a timestamp is text with six fraction digits,
 * three where it has whole milliseconds (compares and sorts as time); a NaN is the text {@code NaN}. Rows an earlier
 * version wrote (decimals as REAL, timestamps with milliseconds) still read, and still match equal values.
 */
class SqliteExactStorageTest {

    private static final String WIDE = "1234567890123456789012345678.0123456789";
    private static final Instant MICROS = Instant.parse("2026-03-04T18:26:07.123456Z");

    private StandaloneUnit unit;

    @BeforeEach
    void start() {
        unit = StandaloneUnit.start("SqliteExactStorage", SyncedExact.class, DualExact.class, RemoteExact.class);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            em.persist(row(1, "19.90", "9.50", MICROS, 1.5));
            em.persist(row(2, "9.50", WIDE, MICROS.plusNanos(1_000), Double.NaN));
            em.persist(row(3, "100", "0.1", MICROS.minusNanos(1_000), -2.0));
        });
    }

    @AfterEach
    void stop() {
        unit.close();
    }

    private static SyncedExact row(long id, String price, String wide, Instant instant, double dbl) {
        SyncedExact e = new SyncedExact(id);
        e.price = new BigDecimal(price);
        e.wide = new BigDecimal(wide);
        e.instant = instant;
        e.dbl = dbl;
        return e;
    }

    @Test
    void the_file_holds_numbers_where_sqlite_keeps_them_exactly_and_text_or_bytes_where_it_would_not() {
        List<Map<String, Object>> rows = SqliteFiles.rows(unit.localUrl, "select id, typeof(price) as price_type,"
                + " price, typeof(wide) as wide_type, cast(wide as text) as wide_text, typeof(instant) as instant_type,"
                + " instant, typeof(dbl) as dbl_type, dbl from SyncedExact order by id");
        assertThat(rows.get(0)).containsEntry("price_type", "real").containsEntry("price", 19.9)
                .containsEntry("wide_type", "real").containsEntry("instant_type", "text")
                .containsEntry("instant", "2026-03-04 18:26:07.123456").containsEntry("dbl_type", "real");
        assertThat(rows.get(1)).containsEntry("wide_type", "blob").containsEntry("wide_text", WIDE)
                .containsEntry("dbl_type", "text").containsEntry("dbl", "NaN");
        assertThat(rows.get(2)).containsEntry("price_type", "integer").containsEntry("price", 100);
    }

    @Test
    void decimals_of_fifteen_digits_compare_sort_and_add_up_as_numbers_in_sql() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            assertThat(em.local().createQuery("select e.price from SyncedExact e where e.price > 10 order by e.price",
                    BigDecimal.class).getResultList()).containsExactly(new BigDecimal("19.90"), new BigDecimal("100.00"));
            assertThat(em.local().createQuery("select e.id from SyncedExact e where e.price = :p", Long.class)
                    .setParameter("p", new BigDecimal("9.5")).getResultList()).containsExactly(2L);
            assertThat(em.local().createQuery("select e.id from SyncedExact e order by e.price desc", Long.class)
                    .getResultList()).containsExactly(3L, 1L, 2L);
            // computed in floating point by SQLite: the value, not the scale
            assertThat(em.local().createQuery("select sum(e.price) from SyncedExact e", BigDecimal.class)
                    .getSingleResult()).isEqualByComparingTo("129.40");
        }
    }

    @Test
    void a_wider_decimal_is_exact_and_equal_to_itself_but_sorts_after_every_number() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            assertThat(em.local().find(SyncedExact.class, 2L).wide).isEqualTo(new BigDecimal(WIDE));
            assertThat(em.local().createQuery("select e.id from SyncedExact e where e.wide = :w", Long.class)
                    .setParameter("w", new BigDecimal(WIDE)).getResultList()).containsExactly(2L);
            assertThat(em.local().createQuery("select e.id from SyncedExact e order by e.wide", Long.class)
                    .getResultList()).containsExactly(3L, 1L, 2L);
        }
    }

    @Test
    void timestamps_compare_and_sort_as_time_to_the_microsecond() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            assertThat(em.local().createQuery("select e.id from SyncedExact e where e.instant > :t order by e.instant",
                    Long.class).setParameter("t", MICROS).getResultList()).containsExactly(2L);
            assertThat(em.local().createQuery("select e.id from SyncedExact e where e.instant = :t", Long.class)
                    .setParameter("t", MICROS).getResultList()).containsExactly(1L);
        }
    }

    @Test
    void nan_is_kept_and_sorts_after_every_number_as_on_postgresql() {
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            assertThat(em.local().find(SyncedExact.class, 2L).dbl).isNaN();
            assertThat(em.local().createQuery("select e.id from SyncedExact e order by e.dbl", Long.class)
                    .getResultList()).containsExactly(3L, 1L, 2L);
        }
    }

    @Test
    void rows_an_earlier_version_wrote_read_with_the_column_scale_and_their_milliseconds() {
        SqliteFiles.update(unit.localUrl, "insert into SyncedExact (id, price, instant) values (9, 19.9,"
                + " '2026-03-04 18:26:07.123')");
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            SyncedExact old = em.local().find(SyncedExact.class, 9L);
            assertThat(old.price).isEqualTo(new BigDecimal("19.90"));
            assertThat(old.instant).isEqualTo(Instant.parse("2026-03-04T18:26:07.123Z"));
            // a whole-millisecond instant is written as the same text as before: equal values match in SQL
            assertThat(em.local().createQuery("select e.id from SyncedExact e where e.instant = :t", Long.class)
                    .setParameter("t", Instant.parse("2026-03-04T18:26:07.123Z")).getResultList()).containsExactly(9L);
        }
    }
}
