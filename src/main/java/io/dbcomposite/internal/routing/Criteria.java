package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeRoutingException;
import org.hibernate.query.sqm.tree.SqmStatement;

/** Reads the SQM statement behind a Criteria object, to route it by its roots. */
final class Criteria {

    private Criteria() {
    }

    @SuppressWarnings("unchecked")
    static <T> SqmStatement<T> statement(Object criteria) {
        if (criteria instanceof SqmStatement<?> s) {
            return (SqmStatement<T>) s;
        }
        throw new CompositeRoutingException("Criteria object of type " + criteria.getClass().getName()
                + " was not built by a Hibernate CriteriaBuilder; build it with the composite entity manager's getCriteriaBuilder()");
    }

}
