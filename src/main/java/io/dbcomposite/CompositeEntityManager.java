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
 */
public interface CompositeEntityManager extends EntityManager {

    /** @return the local side's entity manager (a Hibernate {@code Session}), joined to this one's transaction */
    EntityManager local();

    /** @return the remote side's entity manager (a Hibernate {@code Session}), joined to this one's transaction; opens it on first use */
    EntityManager remote();

    @Override
    CompositeEntityManagerFactory getEntityManagerFactory();
}
