package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Basic arrays of primitives ({@code int[]}, {@code long[]}, {@code short[]}, {@code double[]}, {@code float[]},
 * {@code boolean[]}) replay element for element. Hibernate's own text form of them merges the first two elements
 * ({@code [7, 8, 9]} became {@code [78, 9]} on the remote while the local row kept {@code [7, 8, 9]}), and its
 * {@code double[]}/{@code float[]} text does not parse back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrimitiveArrayReplayTest {

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("PrimitiveArrayReplay", Readings.class);
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void every_element_of_each_primitive_array_reaches_the_remote_on_insert_and_update() {
        Readings written = new Readings();
        written.id = 1L;
        written.counts = new int[] {7, 8, 9, Integer.MIN_VALUE, Integer.MAX_VALUE, -1};
        written.totals = new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        written.levels = new short[] {Short.MIN_VALUE, 12, Short.MAX_VALUE};
        written.weights = new double[] {0.1 + 0.2, -0.0, Double.MIN_VALUE, 1e308, Double.NaN, Double.NEGATIVE_INFINITY};
        written.ratios = new float[] {1.1f, Float.MAX_VALUE, -3.5f};
        written.flags = new boolean[] {true, false, true};
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(written));
        assertThat(emf.sync().failed()).as(String.valueOf(emf.getSyncStatus())).isZero();
        assertSame(written, remote(1L));
        assertSame(written, local(1L));
        assertThat(PostgresTestDatabase.rows(unit.schema, "select counts::text as c, totals::text as t from readings where id = 1"))
                .containsExactly(Map.of("c", "{7,8,9,-2147483648,2147483647,-1}",
                        "t", "{-9223372036854775808,0,9223372036854775807}"));

        Transactions.inTransaction(emf.createEntityManager(), em -> {
            Readings r = em.find(Readings.class, 1L);
            r.counts = new int[] {42};
            r.totals = new long[0];
            r.levels = null;
            r.weights = new double[] {2.5, 3.25};
            r.ratios = new float[] {0f};
            r.flags = new boolean[] {false};
        });
        assertThat(emf.sync().failed()).isZero();
        Readings updated = local(1L);
        assertThat(updated.counts).containsExactly(42);
        assertThat(updated.levels).isNull();
        assertSame(updated, remote(1L));
    }

    private Readings local(long id) {
        Readings[] found = new Readings[1];
        Transactions.inTransaction(emf.createEntityManager(), em -> found[0] = em.find(Readings.class, id));
        return found[0];
    }

    private Readings remote(long id) {
        try (Session s = emf.remoteFactory().openSession()) {
            return s.find(Readings.class, id);
        }
    }

    private static void assertSame(Readings expected, Readings actual) {
        assertThat(actual.counts).isEqualTo(expected.counts);
        assertThat(actual.totals).isEqualTo(expected.totals);
        assertThat(actual.levels).isEqualTo(expected.levels);
        assertThat(actual.weights).isEqualTo(expected.weights);
        assertThat(actual.ratios).isEqualTo(expected.ratios);
        assertThat(actual.flags).isEqualTo(expected.flags);
    }
}
