package io.dbcomposite;

import jakarta.persistence.EntityManagerFactory;

/**
 * One persistence unit over two databases: a LOCAL one and a REMOTE one, each entity routed by its
 * {@link Routing}. Obtain it from {@link CompositePersistence#builder()} or from
 * {@code Persistence.createEntityManagerFactory("unit")} with {@link CompositePersistenceProvider}.
 *
 * <pre>{@code
 * try (CompositeEntityManagerFactory emf = CompositePersistence.builder()
 *         .local("jdbc:sqlite:./data.db")
 *         .remote("jdbc:postgresql://db/app", "app", secret)
 *         .entities(Product.class, Payment.class)
 *         .build()) {
 *     emf.runInTransaction(em -> em.persist(new Product("SKU-1")));
 *     SyncStatus status = emf.getSyncStatus();
 * }
 * }</pre>
 *
 * <p>{@code unwrap(SessionFactory.class)} gives the local {@code SessionFactory}; {@link #localFactory()} and
 * {@link #remoteFactory()} give each side by name.
 */
public interface CompositeEntityManagerFactory extends EntityManagerFactory {

    /** @return a new entity manager routing every operation per entity */
    @Override
    CompositeEntityManager createEntityManager();

    /** @return the Hibernate {@code SessionFactory} of the local side */
    org.hibernate.SessionFactory localFactory();

    /** @return the Hibernate {@code SessionFactory} of the remote side */
    org.hibernate.SessionFactory remoteFactory();

    /**
     * @param entityType an entity class of the unit
     * @return its effective routing, every attribute resolved (never {@code DEFAULT})
     * @throws IllegalArgumentException if the class is not an entity of the unit
     */
    Routing routingOf(Class<?> entityType);

    /**
     * @param entityName an entity name of the unit (the JPA name, e.g. {@code "Product"}, or the class name)
     * @return its effective routing, every attribute resolved (never {@code DEFAULT})
     * @throws IllegalArgumentException if the unit has no such entity
     */
    Routing routingOf(String entityName);

    /**
     * Replays due changes of the sync log to the remote now and returns when done; safe to call while the
     * background job runs (the two never apply the same change).
     *
     * @return what the run did
     */
    SyncResult sync();

    /** @return the state of the sync log; cheap enough to poll every second */
    SyncStatus getSyncStatus();

    /** @return how many DEAD changes were put back in the queue */
    int retryDeadLetters();

    /**
     * Makes these DEAD, FAILED or CONFLICT changes due now, with their attempts reset. A CONFLICT change retried
     * overwrites the remote row with the local state (and version), as {@link OnConflict#LOCAL_WINS} would. Ids of
     * changes in another status (or of none) are skipped.
     *
     * @param changeIds {@link SyncLogEntity#getId()} of the changes
     * @return how many changes were moved
     */
    int retry(long... changeIds);

    /**
     * Marks these PENDING, FAILED, DEAD or CONFLICT changes DISCARDED: they are never replayed. For a CONFLICT change
     * the local row takes the remote's state as it is now (no new change is captured for it), as
     * {@link OnConflict#REMOTE_WINS} would. Ids of changes in another status (or of none) are skipped.
     *
     * @param changeIds {@link SyncLogEntity#getId()} of the changes
     * @return how many changes were moved
     * @throws CompositeException if a conflicting row cannot be read from the remote or written locally (nothing moved)
     */
    int discard(long... changeIds);

    /** Stops the background job (finishing the batch in flight), then closes both sides and their pools. */
    @Override
    void close();
}
