package io.dbcomposite.differential;

import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the differential test's comparator: the same rows written the way each database stores them (SQLite 0/1
 * booleans, REAL decimals, UTC text timestamps; PostgreSQL bool, numeric(8,3), timestamptz) compare equal, and each
 * deliberately wrong expectation (a changed field, a missing row, a different order-column value, one millisecond,
 * a SQLite boolean that is neither 0 nor 1, a decimal's last digit, a duplicated row of a table without key) is reported
 * with its table, row and column.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparatorSelfTest {

    private final String schema = PostgresTestDatabase.createSchema("diff_comparator");
    @TempDir
    Path dir;
    private String sqlite;

    @BeforeEach
    void sameRowsOnBothSides() {
        sqlite = SqliteFiles.urlIn(dir, "self-" + System.nanoTime() + ".db");
        SqliteFiles.update(sqlite, "create table pot (id integer primary key, label varchar(20), weight numeric(8,3),"
                + " planted timestamp, sown date, sunny boolean, tag blob)");
        SqliteFiles.update(sqlite, "create table pot_note (pot_id bigint not null, line integer not null, text varchar(40),"
                + " primary key (pot_id, line))");
        SqliteFiles.update(sqlite, "create table pot_label (pot_id bigint not null, label varchar(20))");
        SqliteFiles.update(sqlite, "insert into pot values (1, 'fern', 1.5, '2026-03-01 08:15:30.125', '2026-01-15', 1, x'00ff10')");
        SqliteFiles.update(sqlite, "insert into pot values (2, 'moss', 12, '2026-03-01 08:15:31.000', null, 0, null)");
        SqliteFiles.update(sqlite, "insert into pot_note values (1, 0, 'water'), (1, 1, 'turn')");
        SqliteFiles.update(sqlite, "insert into pot_label values (1, 'a'), (1, 'b')");

        for (String table : List.of("pot_label", "pot_note", "pot")) {
            PostgresTestDatabase.update(schema, "drop table if exists " + table);
        }
        PostgresTestDatabase.update(schema, "create table pot (id bigint primary key, label varchar(20), weight numeric(8,3),"
                + " planted timestamp(6) with time zone, sown date, sunny boolean, tag bytea)");
        PostgresTestDatabase.update(schema, "create table pot_note (line integer not null, pot_id bigint not null, text varchar(40),"
                + " primary key (line, pot_id))");
        PostgresTestDatabase.update(schema, "create table pot_label (label varchar(20), pot_id bigint not null)");
        PostgresTestDatabase.update(schema, "insert into pot values (1, 'fern', 1.500, timestamptz '2026-03-01 08:15:30.125+00',"
                + " date '2026-01-15', true, '\\x00ff10'::bytea)");
        PostgresTestDatabase.update(schema, "insert into pot values (2, 'moss', 12.000, timestamptz '2026-03-01 08:15:31+00', null, false, null)");
        PostgresTestDatabase.update(schema, "insert into pot_note values (0, 1, 'water'), (1, 1, 'turn')");
        PostgresTestDatabase.update(schema, "insert into pot_label values ('b', 1), ('a', 1)");
    }

    private List<String> differences() {
        return ImageComparison.differences(DatabaseImage.ofSqlite("composite-local", sqlite), ImageComparison.exact(),
                DatabaseImage.ofPostgres("composite-remote", schema), ImageComparison.exact(), Set.of());
    }

    @Test
    void the_same_rows_stored_the_way_each_database_stores_them_compare_equal() {
        assertThat(differences()).isEmpty();
    }

    @Test
    void a_changed_field_on_one_side_is_named_by_table_row_and_column() {
        PostgresTestDatabase.update(schema, "update pot set label = 'fernx' where id = 1");
        assertThat(differences()).containsExactly(
                "table pot row {id=1} column label: composite-local=fern, composite-remote=fernx");
    }

    @Test
    void a_missing_row_is_named_with_the_row_the_other_side_has() {
        SqliteFiles.update(sqlite, "delete from pot where id = 2");
        assertThat(differences()).singleElement().asString()
                .startsWith("table pot row {id=2}: missing in composite-local (composite-remote has {")
                .contains("label=moss");
    }

    @Test
    void a_different_order_column_value_shows_as_the_row_at_each_position() {
        PostgresTestDatabase.update(schema, "update pot_note set line = 2 where line = 1");
        assertThat(differences()).containsExactly(
                "table pot_note row {line=1, pot_id=1}: missing in composite-remote (composite-local has {line=1, pot_id=1, text=turn})",
                "table pot_note row {line=2, pot_id=1}: missing in composite-local (composite-remote has {line=2, pot_id=1, text=turn})");
    }

    @Test
    void a_timestamp_one_millisecond_later_differs() {
        PostgresTestDatabase.update(schema, "update pot set planted = planted + interval '1 millisecond' where id = 1");
        assertThat(differences()).containsExactly("table pot row {id=1} column planted:"
                + " composite-local=2026-03-01 08:15:30.125000000, composite-remote=2026-03-01 08:15:30.126000000");
    }

    @Test
    void a_timestamp_one_microsecond_later_differs() {
        PostgresTestDatabase.update(schema, "update pot set planted = planted + interval '1 microsecond' where id = 1");
        assertThat(differences()).containsExactly("table pot row {id=1} column planted:"
                + " composite-local=2026-03-01 08:15:30.125000000, composite-remote=2026-03-01 08:15:30.125001000");
    }

    @Test
    void a_sqlite_boolean_other_than_0_or_1_is_not_taken_for_true() {
        SqliteFiles.update(sqlite, "update pot set sunny = 2 where id = 1");
        assertThat(differences()).containsExactly("table pot row {id=1} column sunny: composite-local=2, composite-remote=true");
    }

    @Test
    void a_decimal_that_differs_in_its_last_digit_differs() {
        PostgresTestDatabase.update(schema, "update pot set weight = 1.501 where id = 1");
        assertThat(differences()).containsExactly("table pot row {id=1} column weight: composite-local=1.5, composite-remote=1.501");
    }

    @Test
    void a_date_a_day_off_and_a_changed_byte_differ() {
        PostgresTestDatabase.update(schema, "update pot set sown = ?, tag = ? where id = 1", LocalDate.parse("2026-01-16"),
                new byte[] {0, (byte) 0xff, 0x11});
        assertThat(differences()).containsExactly(
                "table pot row {id=1} column sown: composite-local=2026-01-15, composite-remote=2026-01-16",
                "table pot row {id=1} column tag: composite-local=00ff10, composite-remote=00ff11");
    }

    @Test
    void a_duplicated_row_of_a_table_without_key_shows() {
        SqliteFiles.update(sqlite, "insert into pot_label values (1, 'a')");
        assertThat(differences()).containsExactly(
                "table pot_label row {label=a, pot_id=1, #=2}: missing in composite-remote (composite-local has {label=a, pot_id=1})");
    }

    @Test
    void a_null_differs_from_a_value_and_a_table_on_one_side_only_is_named() {
        PostgresTestDatabase.update(schema, "update pot set sown = date '2026-02-02' where id = 2");
        PostgresTestDatabase.update(schema, "create table stray (id bigint primary key)");
        try {
            assertThat(differences()).containsExactly(
                    "table pot row {id=2} column sown: composite-local=<null>, composite-remote=2026-02-02",
                    "table stray: only in composite-remote");
        } finally {
            PostgresTestDatabase.update(schema, "drop table stray");
        }
    }

    @Test
    void uuid_aliases_replace_only_the_registered_values() {
        DatabaseImage local = DatabaseImage.ofSqlite("composite-local", sqlite);
        // the pot ids become aliases of their labels on the left only: every id now differs from the right's
        List<String> out = new ArrayList<>(ImageComparison.differences(local, ImageComparison.aliasing(local, "pot", "id", "label"),
                DatabaseImage.ofPostgres("composite-remote", schema), ImageComparison.exact(), Set.of("pot_note", "pot_label")));
        assertThat(out).contains("table pot row {id=1}: missing in composite-local (composite-remote has {id=1, label=fern,"
                + " planted=2026-03-01 08:15:30.125000000, sown=2026-01-15, sunny=true, tag=00ff10, weight=1.5})");
    }

    @Test
    void results_that_differ_in_one_field_or_in_order_normalise_differently() {
        ResultNormaliser n = new ResultNormaliser();
        assertThat(n.of(new BigDecimal("1.50"))).isNotEqualTo(n.of(new BigDecimal("1.5")));
        assertThat(n.of(List.of("a", "b"), true)).isNotEqualTo(n.of(List.of("b", "a"), true));
        assertThat(n.of(List.of("a", "b"), false)).isEqualTo(n.of(List.of("b", "a"), false));
        assertThat(n.of(new LoanLine(1L, "x", BigDecimal.ONE))).isNotEqualTo(n.of(new LoanLine(1L, "y", BigDecimal.ONE)));
        assertThat(n.of(1)).isNotEqualTo(n.of(1L));
    }

    @AfterAll
    void dropSchema() {
        PostgresTestDatabase.dropSchema(schema);
    }
}
