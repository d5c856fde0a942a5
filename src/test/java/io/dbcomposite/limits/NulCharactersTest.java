package io.dbcomposite.limits;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * PostgreSQL text cannot hold the character U+0000, which SQLite stores: a primitive {@code char} never set is
 * {@code '\0'}. Such a row committed locally and then failed every replay, until it went DEAD; found by a probe. It is
 * refused at the local flush now, as any value the remote cannot hold, with nothing written; MariaDB holds it, and the
 * two sides stay equal there.
 */
class NulCharactersTest {

    @Entity(name = "NcLetter")
    @Table(name = "nc_letter")
    public static class Letter {
        @Id
        public Long id;
        public String name;
        public char initial;
    }

    @Entity(name = "NcDual")
    @Table(name = "nc_dual")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class DualLetter {
        @Id
        public Long id;
        public String name;
        public char initial;
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void a_nul_character_is_refused_before_any_write_where_the_remote_cannot_hold_it(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "NulCharacters", null, Map.of(), Letter.class, DualLetter.class)) {
            boolean refuses = !pair.remoteIsMariaDb();
            long id = 0;
            for (Consumer<Letter> bad : java.util.List.<Consumer<Letter>>of(
                    l -> l.name = "plain", // initial never set: '\0'
                    l -> {
                        l.name = "a\0b";
                        l.initial = 'x';
                    })) {
                long letterId = ++id;
                Throwable replayed = catchThrowable(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    Letter l = new Letter();
                    l.id = letterId;
                    bad.accept(l);
                    em.persist(l);
                }));
                Throwable dual = catchThrowable(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    DualLetter d = new DualLetter();
                    d.id = letterId;
                    Letter shape = new Letter();
                    bad.accept(shape);
                    d.name = shape.name;
                    d.initial = shape.initial;
                    em.persist(d);
                }));
                for (Throwable thrown : new Throwable[] {replayed, dual}) {
                    if (refuses) {
                        Throwable refusal = thrown;
                        while (refusal != null && !(refusal instanceof RemoteLimitException)) {
                            refusal = refusal.getCause();
                        }
                        assertThat(refusal).as(String.valueOf(thrown)).isInstanceOf(RemoteLimitException.class)
                                .hasMessageContaining("U+0000").hasMessageContaining("id " + letterId);
                    } else {
                        assertThat(thrown).isNull();
                    }
                }
            }
            // nothing of a refused write is anywhere; a value without NUL goes through
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                Letter l = new Letter();
                l.id = 10L;
                l.name = "fine";
                l.initial = 'f';
                em.persist(l);
            });
            assertThat(unit.emf.sync().failed()).as(String.valueOf(unit.emf.getSyncStatus())).isZero();
            assertThat(unit.emf.getSyncStatus().pendingChanges()).isZero();
            Map<Long, String> local = rows(unit.emf.localFactory());
            assertThat(rows(unit.emf.remoteFactory())).containsExactlyEntriesOf(local);
            assertThat(local.keySet()).containsExactlyElementsOf(refuses ? java.util.List.of(10L) : java.util.List.of(1L, 2L, 10L));
        }
    }

    private static Map<Long, String> rows(SessionFactory side) {
        Map<Long, String> out = new TreeMap<>();
        try (Session s = side.openSession()) {
            for (Letter l : s.createSelectionQuery("from NcLetter", Letter.class).list()) {
                out.put(l.id, l.name.replace("\0", "<NUL>") + "|" + (int) l.initial);
            }
            for (DualLetter d : s.createSelectionQuery("from NcDual", DualLetter.class).list()) {
                out.merge(d.id, "dual " + d.name.replace("\0", "<NUL>") + "|" + (int) d.initial, (a, b) -> a + " & " + b);
            }
        }
        return out;
    }
}
