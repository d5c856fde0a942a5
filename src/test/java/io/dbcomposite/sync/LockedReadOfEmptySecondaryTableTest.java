package io.dbcomposite.sync;

import io.dbcomposite.SyncResult;
import io.dbcomposite.differential.HostileModel;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conflict check reads the remote rows of a replayed update under a lock. An entity with an optional
 * {@code @SecondaryTable} whose row is absent (its columns all null) is read through an outer join, which PostgreSQL
 * locks by follow-on locking; Hibernate's follow-on lock of a table without a row for the id failed the replay
 * ({@code AssertionFailure: Expecting results}) where the batch held no other row of the entity that had one.
 */
class LockedReadOfEmptySecondaryTableTest {

    @Test
    void an_update_of_a_row_without_its_secondary_row_replays_alone() {
        try (StandaloneUnit unit = StandaloneUnit.start("EmptySecondary", HostileModel.Split.class)) {
            HostileModel.Split split = new HostileModel.Split();
            split.id = 1L;
            split.main = "before";
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(split));
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(unit.remote("select count(*) from h_split_extra")).isZero();

            Transactions.inTransaction(unit.emf.createEntityManager(),
                    em -> em.find(HostileModel.Split.class, 1L).main = "after");
            SyncResult result = unit.emf.sync();
            assertThat(result.failed()).as("replays failed").isZero();
            assertThat(unit.remote("select count(*) from h_split where main = 'after'")).isEqualTo(1);
        }
    }
}
