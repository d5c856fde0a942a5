package io.dbcomposite;

import jakarta.persistence.EntityManager;

/**
 * An entity manager over both sides of a composite unit: {@code find}, queries and lazy loads go to each
 * entity's read side; {@code persist}, {@code merge}, {@code remove} and flushes go to its write side(s);
 * {@link #getTransaction()} spans both sides with the commit order of the entity's {@link Write} and
 * {@link OnRemoteFail}.
 *
 * <pre>{@code
 * CompositeEntityManager em = emf.createEntityManager();
 * em.getTransaction().begin();
 * em.persist(payment);                        // write = DUAL: lands in both databases at commit
 * em.getTransaction().commit();
 * em.local().createNativeQuery("pragma wal_checkpoint").getSingleResult();
 * }</pre>
 *
 * <p>Native queries go to the local side; use {@link #local()} or {@link #remote()} to pick a side. Those are
 * the sessions this entity manager itself uses: they join its transaction, and routing still applies to the
 * entities they manage.
 *
 * <p>{@code unwrap(Session.class)} (also {@code SessionImplementor}, {@code SharedSessionContract}) gives a routed
 * session, not one side's: its {@code EntityManager} methods, native loads by entity class ({@code get},
 * {@code byId}, {@code byNaturalId}), {@code createSelectionQuery} and {@code createMutationQuery} are routed as
 * here; calls on a managed instance go to the session managing it; flush mode, default read-only and cache mode
 * are set on both sides; its getters, JDBC coordinator and session factory are the local side's. Any other native
 * call, and {@code unwrap} to any other type (such as {@code SessionImpl}), throws {@link CompositeRoutingException}
 * naming {@link #local()} and {@link #remote()}, which give one side's session.
 *
 * <pre>{@code
 * Session routed = em.unwrap(Session.class);
 * routed.createSelectionQuery("from AuditEvent", AuditEvent.class).getResultList();   // read = REMOTE: remote
 * ((Session) em.remote()).doWork(connection -> ...);                                  // explicitly the remote
 * }</pre>
 */
public interface CompositeEntityManager extends EntityManager {

    /** @return the local side's entity manager (a Hibernate {@code Session}), joined to this one's transaction */
    EntityManager local();

    /** @return the remote side's entity manager (a Hibernate {@code Session}), joined to this one's transaction; opens it on first use */
    EntityManager remote();

    @Override
    CompositeEntityManagerFactory getEntityManagerFactory();
}
