package io.dbcomposite.testing;

import jakarta.persistence.EntityManager;

import java.util.function.Consumer;

/** The one resource-local transaction helper of the tests: commit if the work returns, roll back if it throws. */
public final class Transactions {

    private Transactions() {
    }

    /** Runs {@code work} in a transaction of {@code em}, then closes it. */
    public static <M extends EntityManager> void inTransaction(M em, Consumer<? super M> work) {
        try (em) {
            em.getTransaction().begin();
            try {
                work.accept(em);
                em.getTransaction().commit();
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            }
        }
    }
}
