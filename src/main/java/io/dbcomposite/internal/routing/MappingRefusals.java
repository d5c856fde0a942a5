package io.dbcomposite.internal.routing;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.internal.capture.CaptureMode;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.DiscriminatedAssociationModelPart;
import org.hibernate.metamodel.mapping.EmbeddableValuedModelPart;
import org.hibernate.metamodel.mapping.ManagedMappingType;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.TimeJdbcType;
import org.hibernate.type.descriptor.jdbc.TimestampJdbcType;

import java.util.Calendar;

/**
 * Mappings the library cannot keep the same on both databases, refused when the unit starts, naming the entity, the
 * property and what to do instead, rather than found out as a difference between the two sides, or as a replay that
 * fails after the local commit. Only entities whose writes reach both databases are checked (replayed, written to both,
 * or queued); an entity kept on one side only is plain Hibernate there.
 * <ul>
 * <li>A {@code java.util.Calendar} whose JDBC type is given explicitly as Hibernate's own timestamp or time type
 * ({@code @JdbcType(TimestampJdbcType.class)}): Hibernate then writes it in the calendar's own zone and reads it back in
 * the JDBC time zone, past the library's own type ({@code CalendarInstants}), and the remote got another instant than the
 * local row holds whenever the JVM is not on the JDBC time zone.</li>
 * <li>An {@code @Any} association of an entity whose changes go through the sync log: the log cannot hold one, and every
 * replay failed.</li>
 * <li>A {@code @SoftDelete} collection: the library writes a changed collection to the other side as its loaded
 * elements (its rows there deleted, then inserted again), and such a collection's delete only marks its rows, so the
 * inserts collided with the marked rows on the collection's key (every replay and every DUAL commit failed) or, without
 * one, left the marked rows beside new ones.</li>
 * <li>The element of a unidirectional one-to-many whose key column is NOT NULL, when its changes go through the sync log:
 * Hibernate writes that column from the owner's collection, which a change of the element does not hold.</li>
 * </ul>
 */
final class MappingRefusals {

    private MappingRefusals() {
    }

    static void check(String unitName, SessionFactoryImplementor factory, String jpaName, Class<?> type, RoutingPlan plan) {
        boolean logged = plan.capture() != CaptureMode.NEVER;
        boolean bothSides = logged || plan.writeTargets().size() > 1;
        if (!bothSides) {
            return;
        }
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
        check(unitName, jpaName, persister, "", logged);
        if (logged) {
            refuseRequiredOwnerKeys(unitName, jpaName, persister);
        }
    }

    /**
     * A unidirectional one-to-many whose key column in this entity's table is NOT NULL ({@code @JoinColumn(nullable =
     * false)}, or such an {@code @OrderColumn}): Hibernate writes it from the owner's collection through a synthetic
     * property of the element ({@code _...Backref}), which a logged change of the element cannot hold, so its replay
     * failed for ever on the column.
     */
    private static void refuseRequiredOwnerKeys(String unitName, String jpaName, EntityPersister persister) {
        for (int i = 0; i < persister.getNumberOfAttributeMappings(); i++) {
            AttributeMapping attribute = persister.getAttributeMapping(i);
            String name = attribute.getAttributeName();
            // the property's own nullability says nothing here: its column's does
            if (name.startsWith("_") && name.endsWith("Backref") && attribute instanceof BasicValuedModelPart column
                    && !column.isNullable()) {
                throw new CompositeConfigurationException("Entity '" + jpaName + "' of persistence unit '" + unitName
                        + "' is the element of a unidirectional @OneToMany whose key column in its table is NOT NULL ("
                        + name + ": @JoinColumn(nullable = false) or @OrderColumn(nullable = false) on the owner's"
                        + " collection). Its changes go through the sync log, which cannot hold that column (Hibernate"
                        + " writes it from the owner's collection), so every replay of a new element would fail. Make the"
                        + " key column nullable, map the association from the element (@ManyToOne, with mappedBy on the"
                        + " owner), or route '" + jpaName + "' write=DUAL, onRemoteFail=FAIL (never logged)"
                        + " (dbcomposite.routing." + jpaName + ".*)");
            }
        }
    }

    private static void check(String unitName, String jpaName, ManagedMappingType owner, String prefix, boolean logged) {
        for (int i = 0; i < owner.getNumberOfAttributeMappings(); i++) {
            AttributeMapping attribute = owner.getAttributeMapping(i);
            String path = prefix + attribute.getAttributeName();
            boolean any = attribute instanceof DiscriminatedAssociationModelPart || attribute.isPluralAttributeMapping()
                    && attribute.asPluralAttributeMapping().getElementDescriptor() instanceof DiscriminatedAssociationModelPart;
            if (any && logged) {
                throw new CompositeConfigurationException("Entity '" + jpaName + "' of persistence unit '" + unitName
                        + "' maps property '" + path + "' with @Any or @ManyToAny, which the sync log cannot hold: its changes would"
                        + " commit locally and fail every replay. Map it as a @ManyToOne to a common supertype, or route '"
                        + jpaName + "' write=DUAL, onRemoteFail=FAIL (never logged) or sync=NONE (dbcomposite.routing."
                        + jpaName + ".*)");
            }
            if (attribute.isPluralAttributeMapping() && attribute.asPluralAttributeMapping().getSoftDeleteMapping() != null) {
                throw new CompositeConfigurationException("Entity '" + jpaName + "' of persistence unit '" + unitName
                        + "' maps collection '" + path + "' with @SoftDelete, which the library cannot write to the other"
                        + " database as Hibernate writes it (a removed element's row is marked, not deleted): its changes"
                        + " would fail there or leave other rows than the local ones. Remove @SoftDelete from the"
                        + " collection (e.g. map its elements as an entity with a soft-deleted flag), or route '" + jpaName
                        + "' to one database only: sync=NONE, or write=REMOTE with read=REMOTE (dbcomposite.routing."
                        + jpaName + ".*)");
            }
            if (attribute instanceof EmbeddableValuedModelPart embedded) {
                check(unitName, jpaName, embedded.getEmbeddableTypeDescriptor(), path + ".", logged);
            } else if (attribute instanceof BasicValuedModelPart basic
                    && Calendar.class.isAssignableFrom(basic.getJdbcMapping().getJavaTypeDescriptor().getJavaTypeClass())) {
                JdbcType jdbcType = basic.getJdbcMapping().getJdbcType();
                if (jdbcType.getClass() == TimestampJdbcType.class || jdbcType.getClass() == TimeJdbcType.class) {
                    throw new CompositeConfigurationException("Entity '" + jpaName + "' of persistence unit '" + unitName
                            + "' maps the java.util.Calendar property '" + path + "' with Hibernate's own "
                            + jdbcType.getClass().getSimpleName() + " given explicitly (@JdbcType): Hibernate writes such"
                            + " a calendar in its own zone and reads it back in the JDBC time zone, so the two databases"
                            + " would hold different instants. Remove the @JdbcType (the library binds a calendar in the"
                            + " JDBC time zone; @JdbcTypeCode(SqlTypes.TIMESTAMP) keeps it too), or map the property as"
                            + " java.time.Instant or OffsetDateTime");
                }
            }
        }
    }
}
