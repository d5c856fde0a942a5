package io.dbcomposite.internal.capture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbcomposite.CompositeException;
import org.hibernate.Hibernate;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.type.BasicType;
import org.hibernate.type.CollectionType;
import org.hibernate.type.ComponentType;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;

import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The sync log's payload format: an entity's full state as JSON by property name, readable by a person
 * and independent of Java serialization.
 *
 * <ul>
 *   <li>basic values as their Hibernate {@code JavaType} string form (enums by name, UUIDs, ISO-8601
 *       instants in UTC, hex for {@code byte[]}); booleans and whole numbers as JSON values; a legacy time of day
 *       ({@code @Temporal(TIME)}) as its ISO-8601 instant, milliseconds kept;</li>
 *   <li>embeddables as nested objects;</li>
 *   <li>to-one associations as the target's id, read from a proxy without initializing it;</li>
 *   <li>owned collections (element collections, many-to-many join rows) in full, as arrays (maps as arrays of
 *       {@code {"key":..,"value":..}}); inverse ({@code mappedBy}) collections are not stored, except a list with an
 *       order column, whose elements' ids are kept in list order (the order column is in their rows);</li>
 *   <li>{@code @Version} values as they are; nulls as JSON null.</li>
 * </ul>
 *
 * <p>A collection that was not loaded when the change was captured did not change; it is left out of the
 * payload, and a replay leaves its rows as they are.
 *
 * <p>Decoding goes by the target side's property names: a property the payload lacks is left null (or its
 * default; a collection is left unchanged), a payload property the entity no longer has is ignored.
 */
public final class SnapshotCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnapshotCodec() {
    }

    /**
     * In a state to encode, stands for a list of entities known only by their ids, in list order (null where no element
     * is): an inverse list never loaded, whose order is read from its rows ({@link InverseListOrder}). Encoded as the
     * list of those entities would be.
     */
    public record ElementIds(java.util.List<Object> ids) {
    }

    /** @return the state of an entity as JSON by property name */
    public static String encode(EntityPersister persister, Object[] state, SharedSessionContractImplementor session) {
        ObjectNode root = NODES.objectNode();
        String[] names = persister.getPropertyNames();
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < names.length; i++) {
            if (types[i] instanceof CollectionType ct
                    && (notStored(ct, session.getFactory()) || !Hibernate.isInitialized(state[i]))) {
                // inverse sides are the other entity's rows; an unloaded collection did not change
                continue;
            }
            if (types[i] instanceof CollectionType ct && loadedThroughFilter(ct, state[i], session)) {
                refuseIfChanged(persister, names[i], (org.hibernate.collection.spi.PersistentCollection<?>) state[i], session);
                // unchanged, and only the rows the filter let through: left out, as an unloaded collection
                continue;
            }
            root.set(names[i], encodeValue(types[i], state[i], session));
        }
        String text = JsonText.of(root);
        if (text != null) {
            return text;
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new CompositeException("Cannot write the sync-log payload of entity '" + persister.getEntityName() + "'", e);
        }
    }

    /**
     * @return a payload (or any JSON state) as a tree, for comparing states property by property; null for null or
     *     JSON {@code null}
     * @throws CompositeException if it is not JSON
     */
    public static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node == null || node.isNull() ? null : node;
        } catch (JsonProcessingException e) {
            throw new CompositeException("Cannot read a state of the sync log as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @return {@code payload} with the properties it lacks taken from {@code earlier} (an earlier state of the same row:
     *     a property left out since did not change)
     */
    static String keepingAbsent(String payload, String earlier) {
        try {
            JsonNode now = JSON.readTree(payload);
            JsonNode before = JSON.readTree(earlier);
            if (!(now instanceof ObjectNode out) || !(before instanceof ObjectNode old)) {
                return payload;
            }
            boolean added = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = old.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!out.has(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                    added = true;
                }
            }
            return added ? JSON.writeValueAsString(out) : payload;
        } catch (JsonProcessingException e) {
            throw new CompositeException("Cannot merge two sync-log payloads of one row: " + e.getOriginalMessage(), e);
        }
    }

    /** @return the id of an entity in the string form the sync log's {@code entityId} holds */
    public static String encodeId(EntityPersister persister, Object id, SharedSessionContractImplementor session) {
        JsonNode node = encodeValue(persister.getIdentifierType(), id, session);
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** @return an id decoded from {@link #encodeId} for a (possibly other side's) persister */
    public static Object decodeId(EntityPersister persister, String entityId, SharedSessionContractImplementor session) {
        Type idType = persister.getIdentifierType();
        JsonNode node;
        if (idType instanceof ComponentType) {
            try {
                node = JSON.readTree(entityId);
            } catch (JsonProcessingException e) {
                throw new CompositeException("Bad entity id '" + entityId + "' for entity '" + persister.getEntityName() + "'", e);
            }
        } else {
            node = NODES.textNode(entityId);
        }
        return decodeValue(idType, node, session);
    }

    /**
     * Rebuilds a state array for {@code persister} from a payload.
     *
     * @param id the entity's id (the key of collections left unchanged)
     * @return the state by the persister's property order
     */
    public static Object[] decode(EntityPersister persister, Object id, String payload, SharedSessionContractImplementor session) {
        return decode(persister, id, parse(persister, payload), session);
    }

    /**
     * A payload read as far as it can be without a session: basic values converted, the rest kept as JSON.
     * Thread-safe, so the sync engine reads the next page's payloads on its helper thread.
     */
    public static final class Parsed {
        private final Object[] values;
        private final JsonNode[] trees;
        private final boolean[] present;

        private Parsed(int size) {
            values = new Object[size];
            trees = new JsonNode[size];
            present = new boolean[size];
        }
    }

    /** The first half of {@link #decode}: needs no session. */
    public static Parsed parse(EntityPersister persister, String payload) {
        String[] names = persister.getPropertyNames();
        Type[] types = persister.getPropertyTypes();
        Parsed parsed = new Parsed(names.length);
        // streamed, not read into a tree first: a replay decodes every payload of the backlog
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CompositeException("The sync-log payload of entity '" + persister.getEntityName()
                        + "' is not a JSON object: " + abbreviate(payload));
            }
            int expected = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int i = indexOf(names, parser.currentName(), expected);
                JsonToken token = parser.nextToken();
                if (i < 0) {
                    parser.skipChildren(); // a property the entity no longer has
                    continue;
                }
                expected = i + 1;
                parsed.present[i] = true;
                if (types[i] instanceof CollectionType ct && notStored(ct, persister.getFactory())) {
                    parser.skipChildren();
                } else if (token.isScalarValue() && token != JsonToken.VALUE_NULL && types[i] instanceof BasicType<?> basic) {
                    parsed.values[i] = fromString(basic, parser.getText());
                } else {
                    parsed.trees[i] = parser.readValueAsTree();
                }
            }
        } catch (IOException e) {
            throw new CompositeException("Cannot read the sync-log payload of entity '" + persister.getEntityName() + "'", e);
        }
        return parsed;
    }

    /** The second half of {@link #decode}: what needs the session (references, collections, defaults). */
    public static Object[] decode(EntityPersister persister, Object id, Parsed parsed, SharedSessionContractImplementor session) {
        String[] names = persister.getPropertyNames();
        Type[] types = persister.getPropertyTypes();
        Object[] state = parsed.values.clone();
        for (int i = 0; i < names.length; i++) {
            if (parsed.present[i]) {
                if (parsed.trees[i] != null) {
                    state[i] = decodeValue(types[i], parsed.trees[i], session);
                }
            } else if (types[i] instanceof CollectionType ct) {
                state[i] = notStored(ct, session.getFactory()) ? null : unchanged(ct, id, session);
            } else {
                state[i] = defaultFor(persister.getMappedClass(), names[i]);
            }
        }
        return state;
    }

    /** @return the index of {@code name}, looked for first where the payload's name order says it should be */
    private static int indexOf(String[] names, String name, int expected) {
        for (int k = 0; k < names.length; k++) {
            int i = (expected + k) % names.length;
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An attribute with an {@code AttributeConverter} is kept as the converter's database value (a type Hibernate can
     * write as text and read back), not as the application's own value type, which need not parse from text.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromString(BasicType<?> type, String text) {
        org.hibernate.type.descriptor.converter.spi.BasicValueConverter converter = type.getValueConverter();
        if (converter instanceof org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter) {
            return converter.toDomainValue(converter.getRelationalJavaType().fromString(text));
        }
        if (type.getJavaTypeDescriptor() instanceof org.hibernate.type.descriptor.java.InstantJavaType) {
            java.time.Instant instant = InstantText.parse(text);
            if (instant != null) {
                return instant;
            }
        } else if (isLegacyTime(type) && text.endsWith("Z")) {
            // an instant (older payloads hold Hibernate's own text, which the JavaType still reads)
            long millis = java.time.Instant.parse(text).toEpochMilli();
            if (java.util.Calendar.class.isAssignableFrom(type.getJavaTypeDescriptor().getJavaTypeClass())) {
                java.util.Calendar calendar = java.util.Calendar.getInstance();
                calendar.setTimeInMillis(millis);
                return calendar;
            }
            return new java.sql.Time(millis);
        }
        return ((BasicType) type).getJavaTypeDescriptor().fromString(text);
    }

    /**
     * A legacy time of day ({@code java.util.Date} or {@code Calendar} with {@code @Temporal(TIME)}): Hibernate's text
     * form of it has whole seconds in the JVM's zone, so the payload holds its instant instead, milliseconds kept.
     */
    private static boolean isLegacyTime(BasicType<?> type) {
        Class<?> javaClass = type.getJavaTypeDescriptor().getJavaTypeClass();
        return type.getJdbcType().getDefaultSqlTypeCode() == java.sql.Types.TIME
                && (java.util.Date.class.isAssignableFrom(javaClass) || java.util.Calendar.class.isAssignableFrom(javaClass));
    }

    /**
     * An array of primitives other than {@code byte[]} and {@code char[]} (which Hibernate maps as binary and text): a
     * basic array, e.g. {@code int[]} mapped to a PostgreSQL {@code integer[]}. Hibernate's text form of these is wrong
     * (7.4 writes {@code {78,9,}} for {@code [7, 8, 9]}, and the double and float forms do not parse back), so the
     * payload holds a JSON array of the elements' texts instead.
     */
    private static boolean isPrimitiveArray(Class<?> cls) {
        return cls.isArray() && cls.getComponentType().isPrimitive() && cls != byte[].class && cls != char[].class;
    }

    private static ArrayNode primitiveArray(Object array) {
        ArrayNode node = NODES.arrayNode();
        for (int i = 0, n = java.lang.reflect.Array.getLength(array); i < n; i++) {
            node.add(String.valueOf(java.lang.reflect.Array.get(array, i)));
        }
        return node;
    }

    private static Object primitiveArray(Class<?> component, JsonNode node) {
        Object array = java.lang.reflect.Array.newInstance(component, node.size());
        for (int i = 0; i < node.size(); i++) {
            String text = node.get(i).asText();
            Object element = component == int.class ? Integer.valueOf(text)
                    : component == long.class ? Long.valueOf(text)
                    : component == short.class ? Short.valueOf(text)
                    : component == double.class ? Double.valueOf(text)
                    : component == float.class ? Float.valueOf(text)
                    : (Object) Boolean.valueOf(text);
            java.lang.reflect.Array.set(array, i, element);
        }
        return array;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String toText(BasicType<?> type, Object value) {
        org.hibernate.type.descriptor.converter.spi.BasicValueConverter converter = type.getValueConverter();
        if (converter instanceof org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter) {
            Object relational = converter.toRelationalValue(value);
            return relational == null ? null : converter.getRelationalJavaType().toString(relational);
        }
        if (isLegacyTime(type)) {
            long millis = value instanceof java.util.Calendar calendar ? calendar.getTimeInMillis() : ((java.util.Date) value).getTime();
            return java.time.Instant.ofEpochMilli(millis).toString();
        }
        if (value instanceof java.time.Instant instant
                && type.getJavaTypeDescriptor() instanceof org.hibernate.type.descriptor.java.InstantJavaType) {
            String text = InstantText.format(instant);
            if (text != null) {
                return text;
            }
        }
        return ((BasicType) type).getJavaTypeDescriptor().toString(value);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    /** An uninitialized wrapper: a replay (StatelessSession upsert) leaves the collection's rows as they are. */
    private static Object unchanged(CollectionType type, Object ownerId, SharedSessionContractImplementor session) {
        CollectionPersister persister = session.getFactory().getMappingMetamodel().getCollectionDescriptor(type.getRole());
        return persister.getCollectionSemantics().instantiateWrapper(ownerId, persister, session);
    }

    /**
     * An inverse side is the other entity's rows, with one exception: the order column of an inverse list, which the
     * list writes into its elements' rows and no element's state holds. Its elements are kept, in list order, as ids.
     */
    /**
     * @return the state of an entity loaded by {@code session} as JSON by property name, its owned collections loaded
     *     first (a payload holds their contents; an unloaded collection would be left out)
     */
    public static String encodeLoaded(org.hibernate.StatelessSession session, EntityPersister persister, Object entity) {
        SharedSessionContractImplementor s = (SharedSessionContractImplementor) session;
        Object[] state = persister.getValues(entity);
        Type[] types = persister.getPropertyTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] instanceof CollectionType ct && state[i] != null && !notStored(ct, s.getFactory())
                    && !Hibernate.isInitialized(state[i])) {
                session.fetch(state[i]);
            }
        }
        return encode(persister, state, s);
    }

    /**
     * A state to write to the other side with every collection loaded through an enabled session filter, and unchanged,
     * replaced by an unloaded wrapper (never attached to the session), which the write leaves as it is: such a collection
     * holds only the rows the filter let through, and writing it would delete the others there.
     *
     * @throws CompositeException if such a collection changed
     * @return {@code state} itself if it holds no such collection, else a copy
     */
    public static Object[] leavingOutFilteredCollections(EntityPersister persister, Object id, Object[] state,
                                                        SharedSessionContractImplementor session) {
        if (state == null || !session.getLoadQueryInfluencers().hasEnabledFilters() && !FilteredLoads.any(session)) {
            return state;
        }
        Type[] types = persister.getPropertyTypes();
        Object[] out = state;
        for (int i = 0; i < types.length && i < state.length; i++) {
            if (types[i] instanceof CollectionType ct && loadedThroughFilter(ct, state[i], session)) {
                refuseIfChanged(persister, persister.getPropertyNames()[i],
                        (org.hibernate.collection.spi.PersistentCollection<?>) state[i], session);
                if (out == state) {
                    out = state.clone();
                }
                CollectionPersister cp = session.getFactory().getMappingMetamodel().getCollectionDescriptor(ct.getRole());
                out[i] = cp.getCollectionSemantics().instantiateWrapper(id, cp, session);
            }
        }
        return out;
    }

    /**
     * @param collection a collection whose rows were just written (its change is certain; its dirty flag may be reset)
     * @throws CompositeException if it was loaded through an enabled session filter
     */
    public static void refuseChangeThroughFilter(EntityPersister owner, org.hibernate.collection.spi.PersistentCollection<?> collection,
                                                 SharedSessionContractImplementor session) {
        if (collection.getRole() == null || collection.isDirectlyAccessible()) {
            return;
        }
        if (FilteredLoads.loadedThroughFilter(collection, session) || session.getLoadQueryInfluencers().hasEnabledFilters()
                && session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole())
                        .isAffectedByEnabledFilters(session)) {
            throw refusal(owner, collection.getRole().substring(collection.getRole().lastIndexOf('.') + 1), collection, session);
        }
    }

    /**
     * @throws CompositeException if a collection loaded through an enabled session filter changed: it holds only the rows
     *     the filter let through, and no write of it to the other side can tell which rows it lacks
     */
    private static void refuseIfChanged(EntityPersister persister, String property,
                                        org.hibernate.collection.spi.PersistentCollection<?> collection,
                                        SharedSessionContractImplementor session) {
        if (collection.isDirty()) {
            throw refusal(persister, property, collection, session);
        }
    }

    private static CompositeException refusal(EntityPersister persister, String property,
                                              org.hibernate.collection.spi.PersistentCollection<?> collection,
                                              SharedSessionContractImplementor session) {
        String atLoad = FilteredLoads.filtersAtLoad(collection, session);
        String filters = session.getLoadQueryInfluencers().hasEnabledFilters()
                ? "while the session's filter(s) " + session.getLoadQueryInfluencers().getEnabledFilterNames() + " apply to it"
                : "after it was loaded through the session's filter(s) " + atLoad;
        return new CompositeException("Entity '" + persister.getJpaEntityName() + "' with id " + collection.getKey()
                + ": collection '" + property + "' changed " + filters + ". It holds only the rows the"
                + " filter lets through, and its change cannot reach the remote without the others; load it with the"
                + " filter(s) disabled to change it");
    }

    /**
     * @return whether a collection was loaded from its rows (not given by the application) while an enabled session
     *     filter applies to it: it may hold only some of its rows
     */
    private static boolean loadedThroughFilter(CollectionType type, Object value, SharedSessionContractImplementor session) {
        if (!(value instanceof org.hibernate.collection.spi.PersistentCollection<?> collection) || collection.isDirectlyAccessible()) {
            return false;
        }
        if (FilteredLoads.loadedThroughFilter(collection, session)) {
            return true; // a filter applied when it loaded, whether or not it still does
        }
        return session.getLoadQueryInfluencers().hasEnabledFilters()
                && session.getFactory().getMappingMetamodel().getCollectionDescriptor(type.getRole()).isAffectedByEnabledFilters(session);
    }

    private static boolean notStored(CollectionType type, SessionFactoryImplementor factory) {
        CollectionPersister persister = factory.getMappingMetamodel().getCollectionDescriptor(type.getRole());
        return persister.isInverse() && !ordersInverseList(persister);
    }

    /** @return true for an inverse ({@code mappedBy}) one-to-many list with an order column */
    public static boolean ordersInverseList(CollectionPersister persister) {
        return persister.isInverse() && persister.isOneToMany() && persister.hasIndex() && persister.getElementType().isEntityType();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonNode encodeValue(Type type, Object value, SharedSessionContractImplementor session) {
        if (type instanceof BasicType<?> basic
                && basic.getValueConverter() instanceof org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter) {
            // the column's value, as the converter gives it for this value, null included: a converter may store a
            // null as a value and a value as SQL null, and the row must hold what the source row holds
            String text = toText(basic, value);
            return text == null ? NODES.nullNode() : NODES.textNode(text);
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (type instanceof BasicType<?> basic) {
            if (value instanceof Boolean b) {
                return NODES.booleanNode(b);
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                return NODES.numberNode(((Number) value).longValue());
            }
            if (isPrimitiveArray(value.getClass())) {
                return primitiveArray(value);
            }
            String text = toText(basic, value);
            return text == null ? NODES.nullNode() : NODES.textNode(text);
        }
        if (type instanceof ComponentType component) {
            ObjectNode node = NODES.objectNode();
            Object[] values = component.getPropertyValues(value);
            String[] names = component.getPropertyNames();
            Type[] subtypes = component.getSubtypes();
            for (int i = 0; i < names.length; i++) {
                node.set(names[i], encodeValue(subtypes[i], values[i], session));
            }
            return node;
        }
        if (type instanceof EntityType entity) {
            EntityPersister target = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity.getAssociatedEntityName());
            Object id = value instanceof HibernateProxy proxy
                    ? proxy.getHibernateLazyInitializer().getInternalIdentifier()
                    : target.getIdentifier(value, session);
            JsonNode encodedId = encodeValue(target.getIdentifierType(), id, session);
            if (entity.isReferenceToPrimaryKey()) {
                return encodedId;
            }
            // the foreign key holds another unique column of the target (referencedColumnName): the row is named by its
            // id, and the key's value goes along, since the stand-in the replay binds the key from holds the id only
            Object instance = value instanceof HibernateProxy proxy ? proxy.getHibernateLazyInitializer().getImplementation() : value;
            String keyProperty = entity.getRHSUniqueKeyPropertyName();
            ObjectNode ref = NODES.objectNode();
            ref.set(REF_ID, encodedId);
            ref.set(REF_KEY, encodeValue(target.getPropertyType(keyProperty), target.getPropertyValue(instance, keyProperty), session));
            return ref;
        }
        if (type instanceof CollectionType collection) {
            CollectionPersister persister = session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole());
            ArrayNode array = NODES.arrayNode();
            if (value instanceof ElementIds ids) {
                Type idType = session.getFactory().getMappingMetamodel().getEntityDescriptor(
                        ((EntityType) persister.getElementType()).getAssociatedEntityName()).getIdentifierType();
                for (Object id : ids.ids()) {
                    array.add(encodeValue(idType, id, session));
                }
            } else if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    ObjectNode pair = NODES.objectNode();
                    pair.set("key", encodeValue(persister.getIndexType(), e.getKey(), session));
                    pair.set("value", encodeValue(persister.getElementType(), e.getValue(), session));
                    array.add(pair);
                }
            } else if (value instanceof Collection<?> c) {
                for (Object element : c) {
                    array.add(encodeValue(persister.getElementType(), element, session));
                }
            } else if (value.getClass().isArray()) {
                for (Iterator<?> it = java.util.Arrays.asList((Object[]) value).iterator(); it.hasNext(); ) {
                    array.add(encodeValue(persister.getElementType(), it.next(), session));
                }
            }
            return array;
        }
        return NODES.textNode(String.valueOf(value));
    }

    /** A to-one by another unique column than the id: the target's id, and the value of that column's attribute. */
    private static final String REF_ID = "$ref";
    private static final String REF_KEY = "$key";

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object decodeValue(Type type, JsonNode node, SharedSessionContractImplementor session) {
        if (node == null || node.isNull()) {
            if (type instanceof BasicType<?> basic
                    && basic.getValueConverter() instanceof org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter converter) {
                // SQL null in the source row: the value the converter reads from it, which it writes back as SQL null
                return converter.toDomainValue(null);
            }
            if (type instanceof CollectionType ct) {
                return ct.getReturnedClass().isArray()
                        ? java.lang.reflect.Array.newInstance(ct.getReturnedClass().getComponentType(), 0) : ct.instantiate(0);
            }
            return null;
        }
        if (type instanceof BasicType<?> basic) {
            Class<?> javaClass = basic.getJavaTypeDescriptor().getJavaTypeClass();
            if (node.isArray() && isPrimitiveArray(javaClass)) {
                return primitiveArray(javaClass.getComponentType(), node);
            }
            return fromString(basic, node.asText());
        }
        if (type instanceof ComponentType component) {
            String[] names = component.getPropertyNames();
            Type[] subtypes = component.getSubtypes();
            Object[] values = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                JsonNode sub = node.get(names[i]);
                values[i] = sub == null ? defaultFor(component.getReturnedClass(), names[i]) : decodeValue(subtypes[i], sub, session);
            }
            return newInstance(component, values);
        }
        if (type instanceof EntityType entity) {
            EntityPersister target = session.getFactory().getMappingMetamodel().getEntityDescriptor(entity.getAssociatedEntityName());
            if (!entity.isReferenceToPrimaryKey() && node.isObject() && node.has(REF_ID)) {
                Object reference = reference(target, decodeValue(target.getIdentifierType(), node.get(REF_ID), session), session);
                String keyProperty = entity.getRHSUniqueKeyPropertyName();
                target.setValue(reference, target.getPropertyIndex(keyProperty),
                        decodeValue(target.getPropertyType(keyProperty), node.get(REF_KEY), session));
                return reference;
            }
            return reference(target, decodeValue(target.getIdentifierType(), node, session), session);
        }
        if (type instanceof CollectionType collection) {
            CollectionPersister persister = session.getFactory().getMappingMetamodel().getCollectionDescriptor(collection.getRole());
            if (collection.getReturnedClass().isArray()) {
                // an array holds its elements itself (Hibernate instantiates no collection for it)
                Object array = java.lang.reflect.Array.newInstance(collection.getReturnedClass().getComponentType(), node.size());
                int i = 0;
                for (JsonNode element : node) {
                    java.lang.reflect.Array.set(array, i++, decodeValue(persister.getElementType(), element, session));
                }
                return array;
            }
            Object result = collection.instantiate(node.size());
            for (JsonNode element : node) {
                if (result instanceof Map map) {
                    map.put(decodeValue(persister.getIndexType(), element.get("key"), session),
                            decodeValue(persister.getElementType(), element.get("value"), session));
                } else {
                    ((Collection) result).add(decodeValue(persister.getElementType(), element, session));
                }
            }
            return result;
        }
        return node.asText();
    }

    /**
     * An instance standing for the row a foreign key (or join-table row) points at: only its id is ever read (and its
     * version, only to tell that it is saved). The
     * payload names the association's declared type, which may be an abstract root of a hierarchy that cannot be
     * instantiated; any concrete class of the hierarchy holds the same id attribute, so the first one stands for it.
     */
    public static Object reference(EntityPersister target, Object id, SharedSessionContractImplementor session) {
        EntityPersister concrete = instantiable(target) ? target : null;
        for (String name : concrete == null ? target.getSubclassEntityNames() : java.util.Set.<String>of()) {
            EntityPersister sub = session.getFactory().getMappingMetamodel().getEntityDescriptor(name);
            if (instantiable(sub)) {
                concrete = sub;
                break;
            }
        }
        if (concrete == null) {
            throw new CompositeException("Cannot replay a reference to entity '" + target.getJpaEntityName() + "' with id "
                    + id + ": its class is abstract and no class of its hierarchy can be instantiated. Map at least one"
                    + " concrete subclass with a no-argument constructor");
        }
        Object reference = concrete.instantiate(id, session);
        concrete.setIdentifier(reference, id, session);
        if (concrete.isVersioned() && concrete.getVersion(reference) == null) {
            // a null version (an Integer or Long one, never set) tells Hibernate the instance was never saved: its
            // foreign key would then be refused as one to a transient instance. Any version stands for a saved row
            @SuppressWarnings("unchecked")
            org.hibernate.type.descriptor.java.VersionJavaType<Object> version =
                    (org.hibernate.type.descriptor.java.VersionJavaType<Object>) concrete.getVersionMapping().getJavaType();
            concrete.setValue(reference, concrete.getVersionPropertyIndex(), version.seed(null, null, null, session));
        }
        return reference;
    }

    private static boolean instantiable(EntityPersister persister) {
        return !java.lang.reflect.Modifier.isAbstract(persister.getMappedClass().getModifiers())
                && persister.getRepresentationStrategy().getInstantiator().canBeInstantiated();
    }

    /** A property missing from an older payload: null, or the default of a primitive field. */
    private static Object defaultFor(Class<?> owner, String property) {
        Class<?> cls = null;
        for (Class<?> c = owner; c != null && cls == null; c = c.getSuperclass()) {
            try {
                cls = c.getDeclaredField(property).getType();
            } catch (NoSuchFieldException notHere) {
                // look further up
            }
        }
        if (cls == null || !cls.isPrimitive()) {
            return null;
        }
        if (cls == boolean.class) {
            return false;
        }
        if (cls == char.class) {
            return '\0';
        }
        if (cls == long.class) {
            return 0L;
        }
        if (cls == double.class) {
            return 0d;
        }
        if (cls == float.class) {
            return 0f;
        }
        if (cls == short.class) {
            return (short) 0;
        }
        if (cls == byte.class) {
            return (byte) 0;
        }
        return 0;
    }

    /**
     * An embeddable holding {@code values}, made as Hibernate makes it when it reads a row: through the embeddable's
     * instantiator, so a Java record (its canonical constructor) or an {@code EmbeddableInstantiator} of the
     * application's works as a class with a no-argument constructor does.
     */
    private static Object newInstance(ComponentType component, Object[] values) {
        org.hibernate.metamodel.mapping.EmbeddableValuedModelPart part = component.getMappingModelPart();
        org.hibernate.metamodel.mapping.EmbeddableMappingType embeddable = part == null ? null : part.getEmbeddableTypeDescriptor();
        if (embeddable != null && !embeddable.isPolymorphic()) {
            try {
                return embeddable.getRepresentationStrategy().getInstantiator().instantiate(() -> values);
            } catch (RuntimeException e) {
                throw new CompositeException("Cannot replay embeddable " + component.getReturnedClass().getName()
                        + ": Hibernate could not make an instance of it from the logged values: " + e.getMessage(), e);
            }
        }
        Class<?> cls = component.getReturnedClass();
        Object instance;
        try {
            var ctor = cls.getDeclaredConstructor();
            ctor.setAccessible(true);
            instance = ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new CompositeException("Embeddable " + cls.getName() + " needs a no-argument constructor to be replayed", e);
        }
        component.setPropertyValues(instance, values);
        return instance;
    }
}
