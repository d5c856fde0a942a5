package io.dbcomposite.pairs;

import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ExactValuesSuite} on a SQLite local side and a MariaDB remote. */
class SqliteMariadbExactValuesTest extends ExactValuesSuite {

    @Override
    protected DatabasePair pair() {
        return DatabasePair.SQLITE_MARIADB;
    }

    /**
     * MariaDB refuses NaN, the infinities and a float past its FLOAT range ("Out of range value"), which SQLite keeps:
     * such a value of an entity that reaches the remote fails the local flush, naming the property and the limit, with
     * nothing written and nothing logged, instead of committing locally and failing every replay until DEAD.
     */
    @Test
    void a_float_mariadb_cannot_store_fails_the_local_commit_and_nothing_is_logged() {
        List<Consumer<ExactRow>> refused = List.of(e -> e.dbl = Double.NaN, e -> e.dbl = Double.NEGATIVE_INFINITY,
                e -> e.single = Float.POSITIVE_INFINITY, e -> e.single = Float.MAX_VALUE);
        long id = 1_000;
        for (Consumer<ExactRow> set : refused) {
            SyncedExact row = new SyncedExact(id++);
            set.accept(row);
            assertThatThrownBy(() -> Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(row)))
                    .satisfies(thrown -> {
                        Throwable t = thrown;
                        while (t != null && !(t instanceof RemoteLimitException)) {
                            t = t.getCause();
                        }
                        assertThat(t).as("a RemoteLimitException in %s", thrown).isInstanceOf(RemoteLimitException.class)
                                .hasMessageContaining("SyncedExact.").hasMessageContaining("nothing was written");
                    });
        }
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            assertThat(em.createQuery("select count(e) from SyncedExact e", Long.class).getSingleResult()).isZero();
            assertThat(em.createQuery("select count(c) from SyncLogEntity c", Long.class).getSingleResult()).isZero();
        });
        SyncedExact fine = new SyncedExact(id);
        fine.single = 3.4028E38f;
        fine.dbl = Double.MAX_VALUE;
        Transactions.inTransaction(emf.createEntityManager(), em -> em.persist(fine));
        assertThat(emf.sync().failed()).isZero();
    }
}
