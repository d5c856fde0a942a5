package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeRoutingException;
import io.dbcomposite.Read;
import io.dbcomposite.Routing;
import io.dbcomposite.Sync;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.Write;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.model.domain.EntityDomainType;
import org.hibernate.query.sqm.tree.SqmCopyContext;
import org.hibernate.query.sqm.tree.domain.SqmPolymorphicRootDescriptor;
import org.hibernate.query.sqm.tree.SqmDmlStatement;
import org.hibernate.query.sqm.tree.SqmStatement;
import org.hibernate.query.sqm.spi.BaseSemanticQueryWalker;
import org.hibernate.query.sqm.tree.from.SqmCrossJoin;
import org.hibernate.query.sqm.tree.from.SqmEntityJoin;
import org.hibernate.query.sqm.tree.from.SqmRoot;
import org.hibernate.query.sqm.tree.select.SqmQueryGroup;
import org.hibernate.query.sqm.tree.select.SqmQueryPart;
import org.hibernate.query.sqm.tree.select.SqmQuerySpec;
import org.hibernate.query.sqm.tree.select.SqmSelectStatement;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the side of a JPQL/HQL or Criteria statement from its root entities: a select goes to the
 * roots' read side (all roots must agree); a bulk update/delete goes to its target's only write side, and
 * is refused where it would skip a write target or the sync log.
 */
final class QueryRouter {

    private final SessionFactoryImplementor localFactory;
    private final RoutingTable routes;
    private static final int HQL_CACHE_SIZE = 2048;

    private final Map<String, Side> hqlCache = new ConcurrentHashMap<>();
    /** The cached queries that {@link #spansSyncLog(SqmStatement)}. */
    private final Set<String> hqlSpanningLog = ConcurrentHashMap.newKeySet();

    QueryRouter(SessionFactoryImplementor localFactory, RoutingTable routes) {
        this.localFactory = localFactory;
        this.routes = routes;
    }

    Side route(String hql) {
        Side cached = hqlCache.get(hql);
        if (cached != null) {
            return cached;
        }
        SqmStatement<?> statement;
        try {
            statement = localFactory.getQueryEngine().interpretHql(hql, null).getSqmStatement();
        } catch (RuntimeException e) {
            // a select without a select clause over joins needs an array result type
            try {
                statement = localFactory.getQueryEngine().interpretHql(hql, Object[].class).getSqmStatement();
            } catch (RuntimeException invalid) {
                // what createQuery must throw for a query that is not valid (Jakarta Persistence 3.2, 3.1.1)
                throw new IllegalArgumentException("Invalid query '" + hql + "': " + e.getMessage(), e);
            }
        }
        Side side = route(statement);
        if (hqlCache.size() >= HQL_CACHE_SIZE) {
            // queries built with inline literals would grow it without end; Hibernate's own cache still holds them
            hqlCache.clear();
            hqlSpanningLog.clear();
        }
        if (spansSyncLog(statement)) {
            hqlSpanningLog.add(hql);
        }
        hqlCache.put(hql, side);
        return side;
    }

    /** @return true if the (routed) query has a root over a class that is no entity whose implementors take in the sync log */
    boolean spansSyncLog(String hql) {
        return !hqlSpanningLog.isEmpty() && hqlSpanningLog.contains(hql);
    }

    /** @return the select of the query, its roots leaving out the sync log (see {@link #withoutSyncLog(SqmStatement)}) */
    @SuppressWarnings("unchecked")
    <T> SqmSelectStatement<T> selectWithoutSyncLog(String hql, Class<T> resultType) {
        return (SqmSelectStatement<T>) withoutSyncLog(localFactory.getQueryEngine().interpretHql(hql, resultType).getSqmStatement());
    }

    Side route(SqmStatement<?> statement) {
        if (statement instanceof SqmDmlStatement<?> dml) {
            return routeMutation(dml.getTarget().getEntityName());
        }
        Map<String, Read> reads = new TreeMap<>();
        if (statement instanceof SqmSelectStatement<?> select) {
            collect(select, reads);
        }
        if (reads.isEmpty()) {
            return Side.LOCAL;
        }
        if (reads.values().stream().distinct().count() > 1) {
            throw new CompositeRoutingException("Query reads entities from different databases, which one query cannot do: "
                    + reads + ". Split it into one query per side, or route these entities to the same read side");
        }
        return reads.values().iterator().next() == Read.REMOTE ? Side.REMOTE : Side.LOCAL;
    }

    private void collect(SqmSelectStatement<?> select, Map<String, Read> reads) {
        Set<String> names = new LinkedHashSet<>();
        try {
            new EntityCollector(names).visitSelectStatement(select);
        } catch (RuntimeException unusualNode) {
            // the walker does not know every node; the top-level roots still decide
            rootsOf(select.getQueryPart(), names);
        }
        for (String name : names) {
            Routing r = routes.of(name);
            if (r != null) {
                reads.put(routes.jpaName(name), r.read());
            }
        }
    }

    private static void rootsOf(SqmQueryPart<?> part, Set<String> names) {
        if (part instanceof SqmQueryGroup<?> group) {
            group.getQueryParts().forEach(p -> rootsOf(p, names));
        } else if (part instanceof SqmQuerySpec<?> spec) {
            for (SqmRoot<?> root : spec.getRootList()) {
                if (root.getModel() instanceof SqmPolymorphicRootDescriptor<?> polymorphic) {
                    addImplementors(polymorphic, names);
                } else {
                    names.add(root.getEntityName());
                }
            }
        }
    }

    /**
     * The entities a root over a class that is no entity ({@code java.lang.Object}, an interface) stands for: its
     * implementors, but never the library's own sync log, which the user's queries cannot mean.
     */
    private static void addImplementors(SqmPolymorphicRootDescriptor<?> polymorphic, Set<String> names) {
        for (EntityDomainType<?> implementor : polymorphic.getImplementors()) {
            if (implementor.getJavaType() != SyncLogEntity.class) {
                names.add(implementor.getName());
            }
        }
    }

    /**
     * @return the select, or a copy of it whose top-level roots over a class that is no entity leave out the sync log
     *         (the local side maps it, so {@code select o from java.lang.Object o} would return its rows)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SqmStatement<?> withoutSyncLog(SqmStatement<?> statement) {
        if (!spansSyncLog(statement)) {
            return statement;
        }
        SqmSelectStatement<?> select = (SqmSelectStatement<?>) statement;
        SqmCopyContext context = SqmCopyContext.simpleContext();
        for (SqmRoot<?> root : select.getQuerySpec().getRootList()) {
            if (takesInSyncLog(root)) {
                SqmPolymorphicRootDescriptor<?> polymorphic = (SqmPolymorphicRootDescriptor<?>) root.getModel();
                Set userTypes = new LinkedHashSet<>();
                polymorphic.getImplementors().stream().filter(i -> i.getJavaType() != SyncLogEntity.class).forEach(userTypes::add);
                SqmPolymorphicRootDescriptor<?> narrowed = new SqmPolymorphicRootDescriptor(polymorphic.getExpressibleJavaType(),
                        userTypes, polymorphic.getMetamodel());
                // same path and alias: the copied select, where and order clauses refer to the narrowed root
                context.registerCopy(root, new SqmRoot(root.getNavigablePath(), narrowed, root.getExplicitAlias(),
                        root.nodeBuilder()));
            }
        }
        return select.copy(context);
    }

    /** @return true if a top-level root of the select stands for every entity implementing a class, the sync log among them */
    private static boolean spansSyncLog(SqmStatement<?> statement) {
        return statement instanceof SqmSelectStatement<?> select
                && select.getQuerySpec().getRootList().stream().anyMatch(QueryRouter::takesInSyncLog);
    }

    private static boolean takesInSyncLog(SqmRoot<?> root) {
        return root.getModel() instanceof SqmPolymorphicRootDescriptor<?> polymorphic
                && polymorphic.getImplementors().stream().anyMatch(i -> i.getJavaType() == SyncLogEntity.class);
    }

    /** Every entity a select names: roots, entity joins and cross joins, in subqueries too. */
    private static final class EntityCollector extends BaseSemanticQueryWalker {
        private final Set<String> names;

        EntityCollector(Set<String> names) {
            this.names = names;
        }

        @Override
        protected void consumeFromClauseRoot(SqmRoot<?> root) {
            add(root);
            super.consumeFromClauseRoot(root);
        }

        @Override
        protected void consumeCrossJoin(SqmCrossJoin<?> join, boolean transitive) {
            names.add(join.getEntityName());
            super.consumeCrossJoin(join, transitive);
        }

        @Override
        protected void consumeEntityJoin(SqmEntityJoin<?, ?> join, boolean transitive) {
            names.add(join.getEntityName());
            super.consumeEntityJoin(join, transitive);
        }

        private void add(SqmRoot<?> root) {
            if (root.getModel() instanceof SqmPolymorphicRootDescriptor<?> polymorphic) {
                addImplementors(polymorphic, names);
                return;
            }
            try {
                names.add(root.getEntityName());
            } catch (RuntimeException derivedOrCteRoot) {
                // a derived table or CTE: its own roots are visited on their own
            }
        }
    }

    /** @return true if the HQL is an update, delete or insert statement */
    boolean isMutation(String hql) {
        String t = hql.stripLeading();
        int n = Math.min(t.length(), 6);
        String head = t.substring(0, n).toLowerCase(java.util.Locale.ROOT);
        return head.startsWith("update") || head.startsWith("delete") || head.startsWith("insert");
    }

    /**
     * A bulk statement changes the rows of its target and of every subclass of it (one table for all of them, or
     * the target's table under the subclasses' own): each of them must allow it, on one side.
     */
    private Side routeMutation(String entityName) {
        RoutingPlan plan = routes.plan(entityName);
        if (plan == null) {
            return Side.LOCAL;
        }
        String name = routes.jpaName(entityName);
        Side side = bulkSide(name, name, plan);
        for (String sub : localFactory.getMappingMetamodel().getEntityDescriptor(entityName).getSubclassEntityNames()) {
            RoutingPlan subPlan = routes.plan(sub);
            if (subPlan == null || subPlan == plan) {
                continue;
            }
            String subName = routes.jpaName(sub);
            Side subSide = bulkSide(name, subName, subPlan);
            if (subSide != side) {
                throw new CompositeRoutingException("Bulk update/delete of entity '" + name + "' is refused: it also changes"
                        + " the rows of its subclass '" + subName + "', and '" + name + "' (" + plan.routing() + ") is written"
                        + " on the " + side + " database while '" + subName + "' (" + subPlan.routing() + ") is written on the "
                        + subSide + " one; one SQL statement runs on one database. Load the entities and change them instead,"
                        + " or give the whole hierarchy one routing");
            }
        }
        return side;
    }

    /** @return where a bulk statement aimed at {@code target} may change the rows of {@code entity}; refuses it if nowhere */
    private static Side bulkSide(String target, String entity, RoutingPlan plan) {
        if (plan.bulkSide() != null) {
            return plan.bulkSide();
        }
        Routing r = plan.routing();
        String harm = r.write() == Write.LOCAL ? "skip the sync log and never reach the remote"
                : "leave the other copy of '" + entity + "' stale";
        String what = target.equals(entity)
                ? "entity '" + entity + "' (" + r + ") is refused: it runs as one SQL statement on one database, so it would "
                : "entity '" + target + "' is refused: it also changes the rows of its subclass '" + entity + "' (" + r
                        + "), and as one SQL statement on one database it would ";
        throw new CompositeRoutingException("Bulk update/delete of " + what + harm
                + ". Load the entities and change them instead, or route '" + entity
                + "' with sync=NONE (local only) or read=REMOTE, write=REMOTE");
    }

}
