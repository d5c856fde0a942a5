package io.dbcomposite.internal.apply;

/**
 * One entity row as the sync log names it: the root entity's JPA name (so a reference to a superclass finds the
 * changes logged under a subclass) and the id in the log's string form.
 *
 * @param rootEntity the JPA name of the root entity of the hierarchy
 * @param entityId the id as {@code SnapshotCodec.encodeId} writes it
 */
public record RowRef(String rootEntity, String entityId) {
}
