package io.dbcomposite.pairs;

import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.RemoteStatements;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB the replay sends inserts of an entity with an IDENTITY id in JDBC batches of its own (Hibernate sends each
 * alone). Rows with every mix of nulls, in one replay batch, must land exactly as they are locally, ids and versions
 * included, a null in a column with a default too (the local insert writes the null), and later updates of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbBatchedIdentityInsertTest {

    @Entity(name = "MNote")
    @Table(name = "m_note")
    public static class Note {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        public Long id;
        public String title;
        public BigDecimal amount;
        public Instant seenAt;
        public LocalDate due;
        public Integer rank;
        public boolean done;
        /** Never set: null on the local side, whose insert writes it; a statement that left it out would take the default. */
        @org.hibernate.annotations.ColumnDefault("'plain'")
        public String kind;
        @Version
        public long version;
    }

    private StandaloneUnit unit;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start(DatabasePair.SQLITE_MARIADB, "MariaIdentityInserts", null, Map.of(), Note.class);
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    private static Map<Long, String> notes(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Note n : s.createSelectionQuery("from MNote", Note.class).list()) {
                out.put(n.id, n.title + "|" + (n.amount == null ? null : n.amount.stripTrailingZeros().toPlainString()) + "|"
                        + n.seenAt + "|" + n.due + "|" + n.rank + "|" + n.done + "|" + n.kind + "|v" + n.version);
            }
        }
        return out;
    }

    @Test
    void rows_with_every_mix_of_nulls_replay_in_one_batch_exactly_as_they_are_locally() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int bits = i;
            Note n = new Note();
            n.title = (bits & 1) == 0 ? "note " + i : null;
            n.amount = (bits & 2) == 0 ? new BigDecimal(i + ".25") : null;
            n.seenAt = (bits & 4) == 0 ? Instant.parse("2026-01-02T03:04:05.123456Z").plusSeconds(i) : null;
            n.due = (bits & 8) == 0 ? LocalDate.of(2026, 1, 1).plusDays(i) : null;
            n.rank = (bits & 16) == 0 ? i : null;
            n.done = (bits & 32) == 0;
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(n));
            ids.add(n.id);
        }
        assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
        assertThat(notes(unit.emf.remoteFactory())).hasSize(64).containsExactlyEntriesOf(notes(unit.emf.localFactory()));

        // rows written alike share one batch
        for (int i = 0; i < 40; i++) {
            Note n = new Note();
            n.title = "alike " + i;
            n.amount = BigDecimal.valueOf(i);
            n.done = true;
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(n));
        }
        long statements = RemoteStatements.preparedDuring(unit.emf, () -> assertThat(unit.emf.sync().failed()).isZero());
        if (io.dbcomposite.internal.boot.HibernateVersion.runningAtLeast(4)) {
            // the batch of 40 inserts and the identity sequence's catch-up; 40 a row before
            assertThat(statements).as("statements prepared on the remote").isLessThanOrEqualTo(5);
        }
        assertThat(notes(unit.emf.remoteFactory())).hasSize(104).containsExactlyEntriesOf(notes(unit.emf.localFactory()));

        for (Long id : ids.subList(0, 20)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Note n = em.find(Note.class, id);
                n.title = n.title == null ? "filled" : null;
                n.rank = 1000;
            });
        }
        assertThat(unit.emf.sync().failed()).isZero();
        assertThat(notes(unit.emf.remoteFactory())).containsExactlyEntriesOf(notes(unit.emf.localFactory()));
    }
}
