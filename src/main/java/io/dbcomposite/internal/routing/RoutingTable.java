package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositeRouting;
import io.dbcomposite.Routing;
import io.dbcomposite.internal.boot.CompositeConfiguration;
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

    private final Map<Class<?>, Routing> byClass;
    private final Map<String, Routing> byName;
    private final Map<String, String> jpaNameByClassName;
    private final Map<Class<?>, Routing> subclassCache = new ConcurrentHashMap<>();

    private RoutingTable(Map<Class<?>, Routing> byClass, Map<String, Routing> byName, Map<String, String> jpaNames) {
        this.byClass = byClass;
        this.byName = byName;
        this.jpaNameByClassName = jpaNames;
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

        Map<Class<?>, Routing> byClass = new HashMap<>();
        Map<String, Routing> byName = new HashMap<>();
        Map<String, String> jpaNames = new HashMap<>();
        for (EntityType<?> type : byJpaName.values()) {
            Routing routing = type.getJavaType() == io.dbcomposite.SyncLogEntity.class ? SYNC_LOG
                    : explicit(type, configured).orElse(config.defaults()).orElse(Routing.BUILT_IN);
            checkQueueable(config, factory, type, routing);
            byClass.put(type.getJavaType(), routing);
            byName.put(type.getName(), routing);
            byName.put(type.getJavaType().getName(), routing);
            jpaNames.put(type.getJavaType().getName(), type.getName());
        }
        return new RoutingTable(Map.copyOf(byClass), Map.copyOf(byName), Map.copyOf(jpaNames));
    }

    /** The sync log lives on the local side only and is never captured itself. */
    private static final Routing SYNC_LOG = Routing.builder().read(io.dbcomposite.Read.LOCAL)
            .write(io.dbcomposite.Write.LOCAL).sync(io.dbcomposite.Sync.NONE).onRemoteFail(io.dbcomposite.OnRemoteFail.QUEUE).build();

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
        Routing r = byClass.get(type);
        if (r != null) {
            return r;
        }
        // a proxy or unmapped subclass: the nearest mapped superclass decides (UNSET caches "not an entity")
        Routing found = subclassCache.computeIfAbsent(type, t -> {
            for (Class<?> c = t.getSuperclass(); c != null; c = c.getSuperclass()) {
                Routing mapped = byClass.get(c);
                if (mapped != null) {
                    return mapped;
                }
            }
            return Routing.UNSET;
        });
        return found == Routing.UNSET ? null : found;
    }

    /** @return the routing of an entity by its JPA or class name, or null if the unit has no such entity */
    public Routing of(String entityName) {
        return byName.get(entityName);
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

    /** @return the JPA names of every entity, for messages */
    public Collection<String> entityNames() {
        return new TreeSet<>(jpaNameByClassName.values());
    }
}
