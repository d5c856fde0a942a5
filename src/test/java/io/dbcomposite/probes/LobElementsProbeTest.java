package io.dbcomposite.probes;

import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LOB elements of an element collection. Hibernate gives such a column the default length 255, and MySQL and MariaDB
 * size a LOB column by its length: a {@code tinytext} of 255 bytes there (an entity's own {@code @Lob} is a
 * {@code longtext}). A longer element committed locally (SQLite has no limit, and LOBs were not checked) and failed every
 * replay with "Data too long" until it went DEAD; it is now refused in the caller's transaction, naming the entity and
 * the collection. PostgreSQL has no such limit; a LOB column with a length that fits replays on both.
 */
class LobElementsProbeTest {

    @Entity(name = "PbLobbed")
    @Table(name = "pb_lobbed")
    public static class Lobbed {
        @Id
        public Long id;
        @Lob
        public String single;
        @ElementCollection
        @CollectionTable(name = "pb_lobbed_texts", joinColumns = @JoinColumn(name = "lobbed_id"))
        @OrderColumn(name = "pos")
        @Lob
        @Column(name = "body")
        public List<String> texts = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_lobbed_long_texts", joinColumns = @JoinColumn(name = "lobbed_id"))
        @OrderColumn(name = "pos")
        @Lob
        @Column(name = "body", length = 100_000)
        public List<String> longTexts = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_lobbed_blobs", joinColumns = @JoinColumn(name = "lobbed_id"))
        @OrderColumn(name = "pos")
        @Lob
        @Column(name = "data")
        public List<byte[]> blobs = new ArrayList<>();
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void lob_elements_replay_or_are_refused_at_commit(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbLobElements", null, Map.of(), Lobbed.class)) {
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Lobbed l = new Lobbed();
                l.id = 1L;
                l.single = "s".repeat(300);
                l.texts.add("short");
                l.texts.add("\u00e9".repeat(127)); // 254 bytes in UTF-8
                l.longTexts.add("long ".repeat(60));
                l.blobs.add(new byte[255]);
                em.persist(l);
            });
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertThat(read(unit.emf.remoteFactory())).isEqualTo(read(unit.emf.localFactory()));

            Runnable tooLongText = () -> Transactions.inTransaction(unit.emf.createEntityManager(), em ->
                    em.find(Lobbed.class, 1L).texts.add("long ".repeat(60)));
            Runnable tooLongBlob = () -> Transactions.inTransaction(unit.emf.createEntityManager(), em ->
                    em.find(Lobbed.class, 1L).blobs.add(new byte[256]));
            if (pair.remoteIsMariaDb()) {
                assertThatThrownBy(tooLongText::run).satisfies(e -> assertThat(limitIn(e))
                        .hasMessageContaining("PbLobbed").hasMessageContaining("texts"));
                assertThatThrownBy(tooLongBlob::run).satisfies(e -> assertThat(limitIn(e))
                        .hasMessageContaining("PbLobbed").hasMessageContaining("blobs"));
                assertThat(unit.local("select count(*) from pb_lobbed_texts")).isEqualTo(2);
                assertThat(unit.local("select count(*) from pb_lobbed_blobs")).isEqualTo(1);
            } else {
                tooLongText.run();
                tooLongBlob.run();
            }
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
            assertThat(read(unit.emf.remoteFactory())).isEqualTo(read(unit.emf.localFactory()));
        }
    }

    private static RemoteLimitException limitIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RemoteLimitException limit) {
                return limit;
            }
        }
        throw new AssertionError("no RemoteLimitException in " + e, e);
    }

    private static Map<Long, String> read(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            s.beginTransaction(); // PostgreSQL reads a LOB in a transaction
            try {
                for (Lobbed l : s.createSelectionQuery("from PbLobbed", Lobbed.class).list()) {
                    out.put(l.id, l.single + "|" + l.texts + "|" + l.longTexts + "|"
                            + l.blobs.stream().map(b -> String.valueOf(b.length)).toList());
                }
            } finally {
                s.getTransaction().rollback();
            }
        }
        return out;
    }
}
