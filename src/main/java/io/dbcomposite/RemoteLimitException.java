package io.dbcomposite;

/**
 * A value the remote column cannot hold, refused at the local flush before any SQL runs: a string longer than the
 * column, a decimal with more digits before or after the point than {@code numeric(p,s)} keeps, or a null in a
 * NOT NULL column. SQLite would store it, and the remote would refuse the replay (or silently round it) later; so the
 * caller's transaction fails now, with nothing written on either side and nothing in the sync log.
 *
 * <p>It is not a Hibernate {@code DataException} or {@code ConstraintViolationException}: no SQL ran, so there is no
 * SQL state or constraint name to report, and a caller can tell "my value breaks the mapping" from "the database
 * refused a statement". Like them it is a {@code PersistenceException}, and a commit that hits it throws
 * {@code RollbackException} caused by it.
 */
public class RemoteLimitException extends CompositeException {
    private static final long serialVersionUID = 1L;

    private final String entityName;
    private final String property;
    private final transient Object id;
    private final String limit;

    /**
     * @param entityName the JPA name of the entity whose write was refused
     * @param property the property path, e.g. {@code address.street} or {@code tags}
     * @param id the entity's id, or null if not yet known (an identity insert)
     * @param limit the column's limit, e.g. {@code varchar(255)}, {@code numeric(5,2)}, {@code not null}
     * @param problem what the value does against that limit
     */
    public RemoteLimitException(String entityName, String property, Object id, String limit, String problem) {
        super(entityName + "." + property + (id == null ? "" : " (id " + id + ")") + ": " + problem + "; the column is "
                + limit + " on the remote, nothing was written");
        this.entityName = entityName;
        this.property = property;
        this.id = id;
        this.limit = limit;
    }

    /** @return the JPA name of the entity */
    public String getEntityName() {
        return entityName;
    }

    /** @return the property path */
    public String getProperty() {
        return property;
    }

    /** @return the entity's id, or null if it was not known yet */
    public Object getId() {
        return id;
    }

    /** @return the column's limit as the remote DDL declares it */
    public String getLimit() {
        return limit;
    }
}
