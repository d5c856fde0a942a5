package io.dbcomposite.differential;

import io.dbcomposite.CompositeEntityManager;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Query;

import java.util.UUID;
import java.util.function.Function;

/** What a step's body works with: the same API on plain Hibernate and on the composite unit. */
final class Ctx {

    private final EntityManagerFactory emf;
    private final EntityManager em;
    private final boolean composite;
    private final RoutingKind routing;
    private final ResultNormaliser normaliser;

    Ctx(EntityManagerFactory emf, EntityManager em, boolean composite, RoutingKind routing, ResultNormaliser normaliser) {
        this.emf = emf;
        this.em = em;
        this.composite = composite;
        this.routing = routing;
        this.normaliser = normaliser;
    }

    /** @return the routing the step runs under (the same for plain Hibernate and the composite unit) */
    RoutingKind routing() {
        return routing;
    }

    /** The entity manager of the step's transaction (null in a step with its own transactions). */
    EntityManager em() {
        return em;
    }

    EntityManagerFactory emf() {
        return emf;
    }

    /**
     * A native query on the database the routing reads from: on the composite a native query goes to LOCAL unless the
     * caller picks the remote with {@code remote()} (the contract), so a REMOTE routing asks {@code remote()}.
     */
    Query nativeQuery(EntityManager on, String sql) {
        if (composite && routing.readsRemote) {
            return ((CompositeEntityManager) on).remote().createNativeQuery(sql);
        }
        return on.createNativeQuery(sql);
    }

    Query nativeQuery(String sql) {
        return nativeQuery(em, sql);
    }

    /** Runs work in a new entity manager and transaction, commits, and returns what it gave, normalised inside. */
    String inTransaction(Function<EntityManager, Object> work) {
        EntityManager other = emf.createEntityManager();
        try {
            other.getTransaction().begin();
            String result = norm(work.apply(other));
            other.getTransaction().commit();
            return result;
        } finally {
            if (other.getTransaction().isActive()) {
                other.getTransaction().rollback();
            }
            other.close();
        }
    }

    /** The canonical string of a value (entities while their session is open). */
    String norm(Object value) {
        return normaliser.of(value);
    }

    /** Registers a generated UUID under a business key that both worlds share. */
    void alias(UUID id, String key) {
        normaliser.alias(id, key);
    }
}
