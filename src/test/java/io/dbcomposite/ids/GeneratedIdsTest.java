package io.dbcomposite.ids;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 1: every id generator but IDENTITY (AUTO, SEQUENCE, TABLE; implied or named; allocation size 1 and
 * 50) works with the local side's default settings on every routing, and a row has the same id on both sides after
 * commit and {@code sync()}, whichever side generated it. SQLite has no sequences, so each is allocated from a table;
 * with the write lock taken at {@code BEGIN}, an allocation on a connection of its own used to wait out
 * {@code busy_timeout} and fail with {@code SQLITE_BUSY}. A transaction that allocated a block and rolled back must
 * not get that block handed out twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedIdsTest {

    /** The routings under test, and whether they keep a local copy of the rows. */
    enum Routed {
        LOCAL_BACKGROUND(Routing.builder().build(), true),
        DUAL_FAIL(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build(), true),
        DUAL_QUEUE(Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build(), true),
        // written by the remote session first: its ids come from the remote side, the local copy keeps them
        DUAL_FAIL_READ_REMOTE(Routing.builder().read(Read.REMOTE).write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build(), true),
        // held in the local session until commit: its ids come from the local side
        REMOTE_QUEUE(Routing.builder().read(Read.REMOTE).write(Write.REMOTE).onRemoteFail(OnRemoteFail.QUEUE).build(), false),
        // written by the remote session: its ids come from the remote side
        REMOTE_FAIL(Routing.builder().read(Read.REMOTE).write(Write.REMOTE).onRemoteFail(OnRemoteFail.FAIL).build(), false);

        final Routing routing;
        final boolean localCopy;

        Routed(Routing routing, boolean localCopy) {
            this.routing = routing;
            this.localCopy = localCopy;
        }
    }

    /**
     * More than two blocks of 50: the block a rolled-back transaction allocated is used up, and the table's next
     * blocks, had the rollback given them back, would overlap it.
     */
    private static final int ROWS = 120;

    /** The unit of the routing under test; the cases come routing by routing, so one unit (and pool) at a time. */
    private Routed current;
    private StandaloneUnit unit;

    private StandaloneUnit unit(Routed routed) {
        if (routed != current) {
            stop();
            unit = StandaloneUnit.start("GenIds" + routed.ordinal(), routed.routing, GeneratedIds.ALL.toArray(new Class<?>[0]));
            current = routed;
        }
        return unit;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
            unit = null;
            current = null;
        }
    }

    static Stream<Arguments> routingsAndGenerators() {
        List<Arguments> all = new ArrayList<>();
        for (Routed routed : Routed.values()) {
            for (Class<? extends GeneratedIds.Named> type : GeneratedIds.ALL) {
                all.add(Arguments.of(routed, type));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} routed {0}")
    @MethodSource("routingsAndGenerators")
    void generated_ids_are_unique_and_the_same_on_both_sides_after_a_rolled_back_allocation(
            Routed routed, Class<? extends GeneratedIds.Named> type) {
        StandaloneUnit unit = unit(routed);
        String entity = type.getAnnotation(jakarta.persistence.Entity.class).name();

        // the first allocation of this generator happens in a transaction that rolls back
        try (CompositeEntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            em.persist(create(type, entity + "-rolled-back-1"));
            em.persist(create(type, entity + "-rolled-back-2"));
            em.getTransaction().rollback();
        }
        List<GeneratedIds.Named> committed = new ArrayList<>();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            for (int i = 0; i < ROWS; i++) {
                GeneratedIds.Named row = create(type, entity + "-" + i);
                em.persist(row);
                committed.add(row);
            }
        });
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            GeneratedIds.Named row = create(type, entity + "-last");
            em.persist(row);
            committed.add(row);
        });
        assertThat(unit.emf.sync().failed()).isZero();

        Map<Long, String> expected = new TreeMap<>();
        committed.forEach(row -> expected.put(row.getId(), row.getName()));
        assertThat(expected).as("distinct ids").hasSize(ROWS + 1);
        assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
        assertThat(byId(PostgresTestDatabase.rows(unit.schema, "select id, name from " + entity))).as("remote rows")
                .isEqualTo(expected);
        if (routed.localCopy) {
            assertThat(byId(SqliteFiles.rows(unit.localUrl, "select id, name from " + entity))).as("local rows")
                    .isEqualTo(expected);
        }
    }

    private static GeneratedIds.Named create(Class<? extends GeneratedIds.Named> type, String name) {
        try {
            java.lang.reflect.Constructor<? extends GeneratedIds.Named> c = type.getDeclaredConstructor(String.class);
            return c.newInstance(name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Long, String> byId(List<Map<String, Object>> rows) {
        Map<Long, String> out = new TreeMap<>();
        rows.forEach(row -> out.put(((Number) row.get("id")).longValue(), (String) row.get("name")));
        return out;
    }
}
