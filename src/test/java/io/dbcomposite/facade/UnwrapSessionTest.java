package io.dbcomposite.facade;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.hibernate.SharedSessionContract;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.internal.SessionImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, item 8: {@code unwrap} of a Hibernate session type gives a session that routes (or refuses) each call, so
 * native Hibernate reads of a {@code read=REMOTE} entity read the remote, never the empty local table; the calls
 * Spring's {@code HibernateJpaDialect} makes (flush mode, read-only default, transaction timeout, JDBC connection) work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnwrapSessionTest {

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("UnwrapSession", LocalNote.class, RemoteFailNote.class);
        emf = unit.emf;
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            em.persist(new LocalNote(1L, "local"));
            em.persist(new RemoteFailNote(2L, "remote"));
        });
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void native_queries_and_loads_through_the_unwrapped_session_read_a_remote_entity_from_the_remote() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            Session session = em.unwrap(Session.class);

            assertThat(session.createSelectionQuery("from RemoteFailNote", RemoteFailNote.class).getResultList())
                    .extracting(Note::getText).containsExactly("remote");
            assertThat(session.createQuery("select n.text from RemoteFailNote n", String.class).getResultList())
                    .containsExactly("remote");
            assertThat(session.byId(RemoteFailNote.class).load(2L).getText()).isEqualTo("remote");
            assertThat(session.find(RemoteFailNote.class, 2L).getText()).isEqualTo("remote");
            assertThat(session.createSelectionQuery("from LocalNote", LocalNote.class).getResultList())
                    .extracting(Note::getText).containsExactly("local");
        }
    }

    @Test
    void every_session_interface_unwraps_to_the_routed_session_and_the_composite_types_to_the_composite() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            Session session = em.unwrap(Session.class);

            assertThat(em.unwrap(SessionImplementor.class)).isSameAs(session);
            assertThat(em.unwrap(SharedSessionContract.class)).isSameAs(session);
            assertThat(session).isNotSameAs(em.local()).isNotSameAs(em.remote());
            assertThat(em.unwrap(EntityManager.class)).isSameAs(em);
            assertThat(em.unwrap(CompositeEntityManager.class)).isSameAs(em);
            assertThat(session.unwrap(CompositeEntityManager.class)).isSameAs(em);
            assertThat(em.getDelegate()).isSameAs(session);
        }
    }

    @Test
    void unwrapping_one_sides_class_or_an_unrelated_one_is_refused_naming_local_and_remote() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            for (Class<?> type : new Class<?>[] {SessionImpl.class, StatelessSession.class, String.class}) {
                assertThatThrownBy(() -> em.unwrap(type))
                        .isInstanceOf(PersistenceException.class) // Jakarta Persistence 3.2, EntityManager#unwrap
                        .isInstanceOf(CompositeRoutingException.class)
                        .hasMessageContaining(type.getName())
                        .hasMessageContaining("local().unwrap(")
                        .hasMessageContaining("remote().unwrap(");
            }
            // and one side's own session is there for who asks for it
            assertThat(em.local().unwrap(SessionImpl.class)).isSameAs(em.local());
        }
    }

    @Test
    void a_native_call_the_session_cannot_route_is_refused_naming_local_and_remote() {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            Session session = em.unwrap(Session.class);

            assertThatThrownBy(() -> session.createNativeMutationQuery("delete from RemoteFailNote"))
                    .isInstanceOf(CompositeRoutingException.class)
                    .hasMessageContaining("createNativeMutationQuery")
                    .hasMessageContaining("local().unwrap(Session.class)")
                    .hasMessageContaining("remote().unwrap(Session.class)");
            assertThatThrownBy(() -> session.doWork(c -> { }))
                    .isInstanceOf(CompositeRoutingException.class).hasMessageContaining("doWork");
        }
    }

    /** The calls Spring's HibernateJpaDialect makes around a read-only transaction with a timeout, in its order. */
    @Test
    void the_calls_of_springs_jpa_dialect_set_both_sides_and_commit_the_composite_transaction() throws Exception {
        try (CompositeEntityManager em = emf.createEntityManager()) {
            SessionImplementor session = em.unwrap(SessionImplementor.class);
            session.getTransaction().setTimeout(5);
            assertThatCode(() -> session.getJdbcCoordinator().getLogicalConnection().getConnectionHandlingMode()
                    .getReleaseMode()).doesNotThrowAnyException();
            Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            assertThat(connection.getMetaData().getURL()).as("the JDBC connection Spring exposes is the local one")
                    .startsWith("jdbc:sqlite:");
            em.getTransaction().begin();
            FlushMode previous = session.getHibernateFlushMode();
            session.setHibernateFlushMode(FlushMode.MANUAL);
            session.setDefaultReadOnly(true);

            RemoteFailNote remote = em.find(RemoteFailNote.class, 2L);
            LocalNote local = em.find(LocalNote.class, 1L);
            assertThat(session.isReadOnly(remote)).isTrue();
            assertThat(session.isReadOnly(local)).isTrue();
            assertThat(((Session) em.remote()).getHibernateFlushMode()).isEqualTo(FlushMode.MANUAL);
            assertThat(em.getTransaction().getTimeout()).isEqualTo(5);
            remote.setText("not written");
            Transaction tx = session.getTransaction();
            assertThat(tx.isActive()).isTrue();
            tx.commit();

            assertThatCode(() -> session.getJdbcCoordinator().getLogicalConnection().isPhysicallyConnected())
                    .doesNotThrowAnyException();
            session.setHibernateFlushMode(previous);
            session.setDefaultReadOnly(false);
            assertThat(em.getTransaction().isActive()).isFalse();
        }
        assertThat(unit.remote("select count(*) from RemoteFailNote where id = 2 and text = 'remote'")).isEqualTo(1);
    }
}
