package io.dbcomposite.sync;

import io.dbcomposite.CompositeSettings;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionEventListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay batch sends each kind of statement in one JDBC batch (up to 5,000 statements), however many more rows than
 * changes the changes' element collections bring: counted by Hibernate's own session events on the remote side.
 */
class ReplayJdbcBatchesTest {

    @Entity(name = "RjbCrate")
    @Table(name = "rjb_crate")
    public static class Crate {
        @Id
        Long id;
        String name;
        @ElementCollection
        @jakarta.persistence.CollectionTable(name = "rjb_crate_label")
        List<String> labels = new ArrayList<>();

        public Crate() {
        }

        Crate(long id, String name, String... labels) {
            this.id = id;
            this.name = name;
            this.labels.addAll(List.of(labels));
        }
    }

    /** Counts the JDBC batches every remote session executes (one listener per session, the count shared). */
    public static class BatchCounter implements SessionEventListener {
        static final AtomicInteger BATCHES = new AtomicInteger();

        @Override
        public void jdbcExecuteBatchStart() {
            BATCHES.incrementAndGet();
        }
    }

    @Test
    void collection_rows_outnumbering_the_changes_of_a_batch_go_in_one_jdbc_batch() {
        try (StandaloneUnit unit = StandaloneUnit.start("ReplayJdbcBatches", null,
                Map.of(CompositeSettings.REMOTE_HIBERNATE_PREFIX + "session.events.auto", BatchCounter.class.getName()),
                Crate.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (int i = 0; i < 300; i++) {
                    em.persist(new Crate(i + 1, "crate-" + i, "a" + i, "b" + i, "c" + i));
                }
            });
            BatchCounter.BATCHES.set(0);

            assertThat(unit.emf.sync().applied()).isEqualTo(300);

            // 300 upserts, 300 deletes of the owners' labels, 900 label inserts: three round trips (a batch limited to
            // the 300 changes sent the inserts in three)
            assertThat(BatchCounter.BATCHES).hasValue(3);
            assertThat(unit.remote("select count(*) from rjb_crate_label")).isEqualTo(900);
        }
    }
}
