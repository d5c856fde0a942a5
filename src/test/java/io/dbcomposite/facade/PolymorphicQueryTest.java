package io.dbcomposite.facade;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, item 11: a query over a class that is no entity ({@code java.lang.Object}, an interface) stands for the
 * user's entities implementing it, never for the library's own sync log; it runs where all of them are read, and is
 * refused, naming them and their sides, where they are read from different databases. Queries that name
 * {@link SyncLogEntity} keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolymorphicQueryTest {

    private StandaloneUnit localUnit;
    private StandaloneUnit remoteUnit;
    private StandaloneUnit mixedUnit;

    @BeforeAll
    void start() {
        localUnit = StandaloneUnit.start("PolyLocal", LocalNote.class, DualFailNote.class);
        remoteUnit = StandaloneUnit.start("PolyRemote", RemoteFailNote.class, RemoteQueueNote.class);
        mixedUnit = StandaloneUnit.start("PolyMixed", LocalNote.class, RemoteFailNote.class);
    }

    @AfterAll
    void stop() {
        for (StandaloneUnit unit : new StandaloneUnit[] {localUnit, remoteUnit, mixedUnit}) {
            if (unit != null) {
                unit.close();
            }
        }
    }

    @Test
    void a_query_over_Object_on_the_local_side_returns_the_users_entities_and_no_sync_log_rows() {
        Transactions.inTransaction(localUnit.emf.createEntityManager(), em -> {
            em.persist(new LocalNote(1L, "logged"));
            em.persist(new DualFailNote(2L, "both sides"));
        });
        assertThat(localUnit.local("select count(*) from dbc_sync_log")).as("the log has rows to leak").isPositive();

        try (CompositeEntityManager em = localUnit.emf.createEntityManager()) {
            List<Object> all = em.createQuery("select o from java.lang.Object o", Object.class).getResultList();
            List<?> untyped = em.createQuery("select o from java.lang.Object o").getResultList();

            for (List<?> result : List.of(all, untyped)) {
                assertThat(result).noneMatch(SyncLogEntity.class::isInstance);
                assertThat(result).extracting(o -> ((Note) o).getText()).containsExactlyInAnyOrder("logged", "both sides");
            }
            // the log itself stays queryable by name
            assertThat(em.createQuery("select c from SyncLogEntity c where c.status = ChangeStatus.PENDING", SyncLogEntity.class)
                    .getResultList()).extracting(SyncLogEntity::getStatus).isNotEmpty().containsOnly(ChangeStatus.PENDING);
        }
    }

    @Test
    void a_query_over_Object_or_an_interface_runs_on_the_remote_when_all_implementors_are_read_there() {
        Transactions.inTransaction(remoteUnit.emf.createEntityManager(), em -> {
            em.persist(new RemoteFailNote(1L, "remote one"));
            em.persist(new RemoteQueueNote(2L, "remote two"));
        });

        try (CompositeEntityManager em = remoteUnit.emf.createEntityManager()) {
            assertThat(em.createQuery("select o from java.lang.Object o", Object.class).getResultList())
                    .extracting(o -> ((Note) o).getText()).containsExactlyInAnyOrder("remote one", "remote two");
            assertThat(em.createQuery("select n from " + Note.class.getName() + " n", Note.class).getResultList())
                    .extracting(Note::getText).containsExactlyInAnyOrder("remote one", "remote two");
        }
    }

    @Test
    void a_query_over_Object_or_an_interface_whose_implementors_are_read_on_different_sides_is_refused_naming_them() {
        try (CompositeEntityManager em = mixedUnit.emf.createEntityManager()) {
            for (String hql : List.of("select o from java.lang.Object o", "select n from " + Note.class.getName() + " n")) {
                assertThatThrownBy(() -> em.createQuery(hql, Object.class))
                        .isInstanceOf(CompositeRoutingException.class)
                        .hasMessageContaining("LocalNote=LOCAL")
                        .hasMessageContaining("RemoteFailNote=REMOTE")
                        .hasMessageNotContaining("SyncLogEntity");
            }
        }
    }
}
