package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeRoutingException;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import org.hibernate.Session;
import org.hibernate.query.sqm.tree.SqmStatement;

/**
 * Criteria objects belong to the factory whose builder made them; to run one on the other side it is
 * re-issued as HQL ({@code toHqlString()}).
 */
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

    static boolean belongsTo(SqmStatement<?> statement, Session side) {
        return statement.nodeBuilder() == side.getCriteriaBuilder();
    }

    @SuppressWarnings("unchecked")
    static <T> TypedQuery<T> typed(Query query) {
        return (TypedQuery<T>) query;
    }
}
