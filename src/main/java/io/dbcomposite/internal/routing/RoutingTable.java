package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Routing;
import io.dbcomposite.internal.config.CompositeConfiguration;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.IdentifiableType;
import org.hibernate.Hibernate;
import org.hibernate.SessionFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The effective routing of every entity of the unit, resolved once at bootstrap with the contract's
 * precedence: per-entity configuration (by name, then by class) > explicit {@link CompositeRouting}
 * attributes > configured defaults > built-in defaults. An entity without settings of its own takes those
 * of its nearest entity superclass.
 */
public final class RoutingTable {

    private final Map<String, String> jpaNameByClassName;
    /** Plans of proxy classes and unmapped subclasses, by their nearest mapped superclass ({@link #NOT_AN_ENTITY} if none). */
    private final Map<Class<?>, RoutingPlan> subclassCache = new ConcurrentHashMap<>();
    private static final RoutingPlan NOT_AN_ENTITY = RoutingPlan.of(Routing.BUILT_IN);
    private final Map<Class<?>, RoutingPlan> plansByClass;
    private final Map<String, RoutingPlan> plansByName;

    private RoutingTable(Map<String, String> jpaNames,
                         Map<Class<?>, RoutingPlan> plansByClass, Map<String, RoutingPlan> plansByName) {
        this.jpaNameByClassName = jpaNames;
        this.plansByClass = plansByClass;
        this.plansByName = plansByName;
    }

    /**
     * @param config the unit's configuration
     * @param factory a factory mapping every entity of the unit
     * @return the resolved table
     * @throws CompositeConfigurationException for an entity name or class the unit does not map
     */
    public static RoutingTable resolve(CompositeConfiguration config, SessionFactory factory) {
        Map<String, EntityType<?>> byJpaName = new LinkedHashMap<>();
        Map<Class<?>, EntityType<?>> byType = new HashMap<>();
        for (EntityType<?> type : factory.getMetamodel().getEntities()) {
            byJpaName.put(type.getName(), type);
            byType.put(type.getJavaType(), type);
        }
        Map<String, Routing> configured = new HashMap<>();
        config.routesByName().forEach((name, routing) -> {
            EntityType<?> type = byJpaName.get(name);
            if (type == null) {
                type = byJpaName.values().stream().filter(t -> t.getJavaType().getName().equals(name)).findFirst().orElse(null);
            }
            if (type == null) {
                throw new CompositeConfigurationException("Unknown entity '" + name + "' in setting 'dbcomposite.routing."
                        + name + ".*' of persistence unit '" + config.unitName() + "': valid entity names are "
                        + new TreeSet<>(byJpaName.keySet()));
            }
            configured.put(type.getName(), routing);
        });
        config.routesByClass().forEach((cls, routing) -> {
            EntityType<?> type = byType.get(cls);
            if (type == null) {
                throw new CompositeConfigurationException("Class " + cls.getName() + " given to route(...) is not an entity of"
                        + " persistence unit '" + config.unitName() + "': valid entities are " + new TreeSet<>(byJpaName.keySet()));
            }
            // by-name settings were given more specifically (properties override the builder's class routes)
            configured.merge(type.getName(), routing, (byNameRouting, byClassRouting) -> byNameRouting.orElse(byClassRouting));
        });

        Map<String, String> jpaNames = new HashMap<>();
        Map<Class<?>, RoutingPlan> plansByClass = new HashMap<>();
        Map<String, RoutingPlan> plansByName = new HashMap<>();
        for (EntityType<?> type : byJpaName.values()) {
            boolean log = type.getJavaType() == io.dbcomposite.SyncLogEntity.class;
            Routing routing = log ? RoutingPlan.SYNC_LOG.routing()
                    : explicit(type, configured).orElse(config.defaults()).orElse(Routing.BUILT_IN);
            checkQueueable(config, factory, type, routing);
            checkReadable(config, type, routing);
            RoutingPlan plan = log ? RoutingPlan.SYNC_LOG : RoutingPlan.of(routing);
            if (!log) {
                MappingRefusals.check(config.unitName(), (org.hibernate.engine.spi.SessionFactoryImplementor) factory,
                        type.getName(), type.getJavaType(), plan);
            }
            plansByClass.put(type.getJavaType(), plan);
            plansByName.put(type.getName(), plan);
            plansByName.put(type.getJavaType().getName(), plan);
            jpaNames.put(type.getJavaType().getName(), type.getName());
        }
        return new RoutingTable(Map.copyOf(jpaNames), Map.copyOf(plansByClass),
                Map.copyOf(plansByName));
    }

    /**
     * An entity read from the remote whose writes stay local and are never replayed could never read back what it
     * committed.
     */
    private static void checkReadable(CompositeConfiguration config, EntityType<?> type, Routing r) {
        if (r.read() == io.dbcomposite.Read.REMOTE && r.write() == io.dbcomposite.Write.LOCAL && r.sync() == io.dbcomposite.Sync.NONE) {
            throw new CompositeConfigurationException("Entity '" + type.getName() + "' of persistence unit '" + config.unitName()
                    + "' is routed read=REMOTE, write=LOCAL, sync=NONE: its writes stay in the local database and are never"
                    + " replayed, so they could never be read back from the remote. Use sync=BACKGROUND (the remote gets them"
                    + " later), write=REMOTE or DUAL, or read=LOCAL (dbcomposite.routing." + type.getName() + ".*)");
        }
    }

    /**
     * An entity read and written remotely that queues its writes when the remote is down is held locally until
     * commit: its id cannot come from the remote database, and its owned collections would be written locally.
     */
    private static void checkQueueable(CompositeConfiguration config, SessionFactory factory, EntityType<?> type, Routing r) {
        if (r.read() != io.dbcomposite.Read.REMOTE || r.onRemoteFail() != io.dbcomposite.OnRemoteFail.QUEUE) {
            return;
        }
        if (r.write() == io.dbcomposite.Write.DUAL) {
            throw new CompositeConfigurationException("Entity '" + type.getName() + "' of persistence unit '" + config.unitName()
                    + "' is routed read=REMOTE, write=DUAL, onRemoteFail=QUEUE: its writes are flushed on the remote first,"
                    + " which a lost remote can interrupt. Use read=LOCAL (the local copy is written first and logged) or"
                    + " onRemoteFail=FAIL (dbcomposite.routing." + type.getName() + ".*)");
        }
        if (r.write() != io.dbcomposite.Write.REMOTE) {
            return;
        }
        org.hibernate.persister.entity.EntityPersister persister = ((org.hibernate.engine.spi.SessionFactoryImplementor) factory)
                .getMappingMetamodel().getEntityDescriptor(type.getJavaType());
        String problem = persister.getGenerator() != null && persister.getGenerator().generatedOnExecution()
                ? "its id is generated by the database (IDENTITY), which a queued write cannot wait for"
                : persister.hasOwnedCollections() ? "it owns collections, which a queued write cannot hold" : null;
        if (problem != null) {
            throw new CompositeConfigurationException("Entity '" + type.getName() + "' of persistence unit '" + config.unitName()
                    + "' is routed read=REMOTE, write=REMOTE, onRemoteFail=QUEUE, but " + problem + ". Assign its ids"
                    + " (e.g. UUIDs) and move its collections to entities of their own, or set onRemoteFail=FAIL"
                    + " (dbcomposite.routing." + type.getName() + ".onRemoteFail)");
        }
    }

    /**
     * Checks per-entity settings against the unit's entity classes before either side is built, so a typo
     * fails the bootstrap before schema management touches a database.
     *
     * @throws CompositeConfigurationException for an entity name or class the unit does not list
     */
    public static void precheck(CompositeConfiguration config) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> cls : config.entities()) {
            jakarta.persistence.Entity entity = cls.getAnnotation(jakarta.persistence.Entity.class);
            if (entity != null) {
                byName.put(entity.name().isEmpty() ? cls.getSimpleName() : entity.name(), cls);
                byName.put(cls.getName(), cls);
            }
        }
        java.util.Set<String> valid = new TreeSet<>();
        byName.forEach((name, cls) -> {
            if (!name.equals(cls.getName())) {
                valid.add(name);
            }
        });
        for (String name : config.routesByName().keySet()) {
            if (!byName.containsKey(name)) {
                throw new CompositeConfigurationException("Unknown entity '" + name + "' in setting 'dbcomposite.routing."
                        + name + ".*' of persistence unit '" + config.unitName() + "': valid entity names are " + valid);
            }
        }
        for (Class<?> cls : config.routesByClass().keySet()) {
            if (!byName.containsValue(cls)) {
                throw new CompositeConfigurationException("Class " + cls.getName() + " given to route(...) is not an entity of"
                        + " persistence unit '" + config.unitName() + "': valid entities are " + valid);
            }
        }
    }

    /**
     * Whether an entity's rows are written to the local database in the caller's own flush ({@code write=LOCAL} or
     * {@code DUAL}), resolved from the boot model with the same precedence as {@link #resolve}, before any factory
     * exists: the local schema declares foreign keys only between such entities.
     */
    public static boolean writesLocally(CompositeConfiguration config, org.hibernate.mapping.PersistentClass entity) {
        if (entity.getMappedClass() == io.dbcomposite.SyncLogEntity.class) {
            return true;
        }
        Routing routing = Routing.UNSET;
        for (org.hibernate.mapping.PersistentClass p = entity; p != null; p = p.getSuperPersistentClass()) {
            Routing byName = config.routesByName().get(p.getJpaEntityName());
            if (byName == null) {
                byName = config.routesByName().get(p.getClassName());
            }
            Routing byClass = p.getMappedClass() == null ? null : config.routesByClass().get(p.getMappedClass());
            Routing configured = byName != null && byClass != null ? byName.orElse(byClass)
                    : byName != null ? byName : byClass;
            if (configured != null) {
                routing = routing.orElse(configured);
            }
        }
        CompositeRouting annotation = entity.getMappedClass() == null ? null
                : entity.getMappedClass().getAnnotation(CompositeRouting.class);
        if (annotation != null) {
            routing = routing.orElse(Routing.of(annotation));
        }
        Routing resolved = routing.orElse(config.defaults()).orElse(Routing.BUILT_IN);
        // a DUAL entity read from the remote lives in the remote session: its local copy is written after the local
        // flush, so a key to or from its table would refuse a transaction that writes it and a local row referring to it
        return resolved.write() == io.dbcomposite.Write.LOCAL
                || resolved.write() == io.dbcomposite.Write.DUAL && resolved.read() != io.dbcomposite.Read.REMOTE;
    }

    /** Configuration of the entity itself, then of its entity superclasses, then its annotation. */
    private static Routing explicit(EntityType<?> type, Map<String, Routing> configured) {
        Routing routing = Routing.UNSET;
        IdentifiableType<?> t = type;
        while (t != null) {
            if (t instanceof EntityType<?> e && configured.containsKey(e.getName())) {
                routing = routing.orElse(configured.get(e.getName()));
            }
            t = t.getSupertype();
        }
        CompositeRouting annotation = type.getJavaType().getAnnotation(CompositeRouting.class);
        if (annotation != null) {
            routing = routing.orElse(Routing.of(annotation));
        }
        return routing;
    }

    /** @return the routing of an entity class (or a subclass or proxy class of one), or null if it is not an entity */
    public Routing of(Class<?> type) {
        RoutingPlan p = plan(type);
        return p == null ? null : p.routing();
    }

    /** @return the plan of an entity class (or a subclass or proxy class of one), or null if it is not an entity */
    RoutingPlan plan(Class<?> type) {
        RoutingPlan p = plansByClass.get(type);
        if (p != null) {
            return p;
        }
        // a proxy or unmapped subclass: the nearest mapped superclass decides, found once per class
        RoutingPlan found = subclassCache.computeIfAbsent(type, t -> {
            for (Class<?> c = t.getSuperclass(); c != null; c = c.getSuperclass()) {
                RoutingPlan mapped = plansByClass.get(c);
                if (mapped != null) {
                    return mapped;
                }
            }
            return NOT_AN_ENTITY;
        });
        return found == NOT_AN_ENTITY ? null : found;
    }

    /** @return the plan of an entity by its JPA or Hibernate entity name, or null */
    RoutingPlan plan(String entityName) {
        return plansByName.get(entityName);
    }

    /** @return the plan of an entity instance or proxy, or null if it is not an entity */
    RoutingPlan planOfInstance(Object entity) {
        return plan(Hibernate.getClassLazy(entity));
    }

    /** @return the capture mode of an entity class ({@link io.dbcomposite.internal.capture.CaptureMode#NEVER} if unmapped) */
    public io.dbcomposite.internal.capture.CaptureMode captureOf(Class<?> type) {
        RoutingPlan p = plan(type);
        return p == null ? io.dbcomposite.internal.capture.CaptureMode.NEVER : p.capture();
    }

    /**
     * @return whether the local writes of an entity class reach the remote, now (DUAL, write-through) or replayed from
     *         the log; false for {@code sync=NONE} local entities and unmapped classes
     */
    public boolean reachesRemote(Class<?> type) {
        RoutingPlan p = plan(type);
        return p != null && (p.capture() != io.dbcomposite.internal.capture.CaptureMode.NEVER
                || p.writeTargets().contains(Side.REMOTE));
    }

    /** @return the routing of an entity by its JPA or class name, or null if the unit has no such entity */
    public Routing of(String entityName) {
        RoutingPlan p = plansByName.get(entityName);
        return p == null ? null : p.routing();
    }

    /** @return the resolved {@code onConflict} of an entity by its JPA or class name ({@code FAIL} for an unknown name) */
    public io.dbcomposite.OnConflict onConflictOf(String entityName) {
        Routing r = of(entityName);
        return r == null || r.onConflict() == io.dbcomposite.OnConflict.DEFAULT ? io.dbcomposite.OnConflict.FAIL : r.onConflict();
    }

    /** @return the routing of an entity instance or proxy, or null if it is not an entity */
    public Routing ofInstance(Object entity) {
        return of(Hibernate.getClassLazy(entity));
    }

    /** @return the JPA entity name of a Hibernate entity name (its class name), or the name itself */
    public String jpaName(String entityName) {
        return jpaNameByClassName.getOrDefault(entityName, entityName);
    }

    /** @return the JPA names of the given entity names, sorted, for messages */
    public java.util.SortedSet<String> jpaNames(Collection<String> entityNames) {
        java.util.SortedSet<String> out = new TreeSet<>();
        entityNames.forEach(n -> out.add(jpaName(n)));
        return out;
    }

    /**
     * @return the JPA names of the entities read and written on the remote only: their queued changes are remote
     *         data, whose payload does not stay in the local log once it reached the remote
     */
    public java.util.Set<String> remoteOnlyEntities() {
        java.util.Set<String> out = new TreeSet<>();
        jpaNameByClassName.forEach((className, jpaName) -> {
            RoutingPlan p = plansByName.get(jpaName);
            if (p != null && !p.writeTargets().contains(Side.LOCAL) && p.readSide() == Side.REMOTE) {
                out.add(jpaName);
            }
        });
        return java.util.Set.copyOf(out);
    }

    /** @return true if any entity is held by the local session until commit (see {@link RoutingPlan#heldUntilCommit}) */
    boolean holdsAny() {
        Boolean held = holdsAny;
        if (held == null) {
            held = plansByName.values().stream().anyMatch(RoutingPlan::heldUntilCommit);
            holdsAny = held;
        }
        return held;
    }

    private volatile Boolean holdsAny;

    /** @return the JPA names of every entity, for messages */
    public Collection<String> entityNames() {
        return new TreeSet<>(jpaNameByClassName.values());
    }
}
