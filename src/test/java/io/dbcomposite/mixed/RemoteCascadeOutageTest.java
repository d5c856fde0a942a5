package io.dbcomposite.mixed;

import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.CompositeTestBase;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.RemoteUnavailableException;
import io.dbcomposite.RemoteWriteException;
import io.dbcomposite.Write;
import jakarta.persistence.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract's outage rule for a {@code FAIL} write ("{@code RemoteWriteException} caused by
 * {@code RemoteUnavailableException}", nothing written anywhere) where the remote-only entity cascades its persist to a
 * new locally written one: the local session writes the cascaded row first, so the outage must still reach the caller
 * as the write's failure, with neither the local row nor its log row left behind.
 */
class RemoteCascadeOutageTest extends CompositeTestBase {

    @Entity(name = "H3Kennel") @Table(name = "h3_kennel")
    public static class Kennel {
        @Id Long id;
        String name;
        protected Kennel() {}
        Kennel(long id, String name) { this.id = id; this.name = name; }
    }

    @Entity(name = "H3Dog") @Table(name = "h3_dog")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Dog {
        @Id Long id;
        @ManyToOne(cascade = CascadeType.PERSIST) Kennel kennel;
        protected Dog() {}
        Dog(long id, Kennel kennel) { this.id = id; this.kennel = kennel; }
    }

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.entities(Kennel.class, Dog.class)
                .property("dbcomposite.remote.socket-timeout", "2s");
    }

    @AfterEach
    void networkBack() {
        restoreNetwork();
    }

    private void nothingAnywhere(long id) {
        assertThat(localCount("h3_kennel", "id = ?", id)).isZero();
        assertThat(localCount("dbc_sync_log", "entity_name = 'H3Kennel' and entity_id = ?", String.valueOf(id))).isZero();
        restoreNetwork();
        assertThat(remoteCount("h3_dog", "id = ?", id)).isZero();
        assertThat(remoteCount("h3_kennel", "id = ?", id)).isZero();
    }

    @Test
    void a_cut_link_fails_the_cascading_persist_with_RemoteWriteException_caused_by_RemoteUnavailableException() {
        proxy.cut();
        assertThatThrownBy(() -> inTransaction(em -> em.persist(new Dog(1, new Kennel(1, "new")))))
                .isInstanceOf(RemoteWriteException.class)
                .hasCauseInstanceOf(RemoteUnavailableException.class);
        nothingAnywhere(1);
    }

    @Test
    void a_known_outage_fails_the_cascading_persist_the_same_way() {
        proxy.cut();
        assertThatThrownBy(() -> read(em -> em.find(Dog.class, 99L))).isInstanceOf(RemoteUnavailableException.class);
        assertThatThrownBy(() -> inTransaction(em -> em.persist(new Dog(2, new Kennel(2, "new")))))
                .isInstanceOf(RemoteWriteException.class)
                .hasCauseInstanceOf(RemoteUnavailableException.class);
        nothingAnywhere(2);
    }

    @Test
    void with_the_kennel_persisted_first_the_outage_is_the_writes_failure_too() {
        proxy.cut();
        assertThatThrownBy(() -> inTransaction(em -> {
            Kennel kennel = new Kennel(3, "new");
            em.persist(kennel);
            em.persist(new Dog(3, kennel));
        })).isInstanceOf(RemoteWriteException.class).hasCauseInstanceOf(RemoteUnavailableException.class);
        nothingAnywhere(3);
    }

    @Test
    void a_plain_persist_and_a_merge_of_a_remote_only_entity_fail_as_writes() {
        proxy.cut();
        assertThatThrownBy(() -> inTransaction(em -> em.persist(new Dog(4, null))))
                .isInstanceOf(RemoteWriteException.class).hasCauseInstanceOf(RemoteUnavailableException.class)
                .hasMessageContaining("H3Dog").hasMessageContaining("persist");
        assertThatThrownBy(() -> inTransaction(em -> em.merge(new Dog(5, null))))
                .isInstanceOf(RemoteWriteException.class).hasCauseInstanceOf(RemoteUnavailableException.class)
                .hasMessageContaining("H3Dog").hasMessageContaining("merge");
        restoreNetwork();
        assertThat(remoteCount("h3_dog", "id in (4, 5)")).isZero();
    }

    @Test
    void an_application_that_catches_the_failure_cannot_commit_the_rest_of_the_transaction() {
        proxy.cut();
        jakarta.persistence.EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(new Kennel(6, "alone"));
            assertThatThrownBy(() -> em.persist(new Dog(6, null))).isInstanceOf(RemoteWriteException.class);
            assertThat(em.getTransaction().getRollbackOnly()).isTrue();
            assertThatThrownBy(() -> em.getTransaction().commit()).isInstanceOf(jakarta.persistence.RollbackException.class);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
        nothingAnywhere(6);
    }
}
