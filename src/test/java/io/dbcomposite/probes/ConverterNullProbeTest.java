package io.dbcomposite.probes;

import io.dbcomposite.probes.PbFields.ZeroAsNull;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code AttributeConverter} that stores a value as SQL null (0 as null) and null as a value (null as "none"): the
 * payload kept the attribute as JSON null in both cases, and the replay wrote what the converter makes of a null, so
 * the local row's SQL null became "none" on the remote, silently (and a later replay of a null did the reverse). The
 * payload now holds the column's value, null included, as the converter gives it.
 */
class ConverterNullProbeTest {

    @Embeddable
    public static class Urgency {
        @Convert(converter = ZeroAsNull.class)
        @Column(name = "inner_level")
        public Integer level;
    }

    @Entity(name = "PbConverted")
    @Table(name = "pb_converted")
    public static class Converted {
        @Id
        public Long id;
        @Convert(converter = ZeroAsNull.class)
        @Column(name = "level")
        public Integer level;
        public Urgency urgency;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_converter_storing_a_value_as_sql_null_replays_the_same_column_value(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbConverterNull", null, Map.of(), Converted.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (long i = 1; i <= 3; i++) {
                    Converted c = new Converted();
                    c.id = i;
                    c.level = i == 1 ? Integer.valueOf(0) : i == 2 ? null : Integer.valueOf(5);
                    c.urgency = new Urgency();
                    c.urgency.level = i == 1 ? null : Integer.valueOf(0);
                    em.persist(c);
                }
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(levels(unit, false)).containsExactly("1:null:none", "2:none:null", "3:5:null");
            assertThat(levels(unit, true)).isEqualTo(levels(unit, false));

            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.find(Converted.class, 2L).level = 0;
                em.find(Converted.class, 3L).level = null;
                // read back as a null embeddable (its one column holds "none", which the converter reads as null)
                Converted first = em.find(Converted.class, 1L);
                assertThat(first.urgency).isNull();
                first.level = 7;
            });
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(levels(unit, true)).isEqualTo(levels(unit, false));
            assertThat(levels(unit, false)).contains("2:null:null", "3:none:null");
        }
    }

    private static List<String> levels(StandaloneUnit unit, boolean remote) {
        String sql = "select id, level, inner_level from pb_converted order by id";
        List<Map<String, Object>> rows = remote ? unit.pair.remoteRows(unit.schema, sql)
                : io.dbcomposite.testing.SqliteFiles.rows(unit.localUrl, sql);
        return rows.stream().map(r -> r.get("id") + ":" + r.get("level") + ":" + r.get("inner_level")).toList();
    }
}
