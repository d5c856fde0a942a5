package io.dbcomposite.internal.routing;

import jakarta.persistence.SchemaManager;
import jakarta.persistence.SchemaValidationException;

/** Schema management over both sides: each side creates, drops, validates and truncates its own tables. */
final class CompositeSchemaManager implements SchemaManager {

    private final SchemaManager local;
    private final SchemaManager remote;

    CompositeSchemaManager(SchemaManager local, SchemaManager remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public void create(boolean createSchemas) {
        local.create(createSchemas);
        remote.create(createSchemas);
    }

    @Override
    public void drop(boolean dropSchemas) {
        local.drop(dropSchemas);
        remote.drop(dropSchemas);
    }

    @Override
    public void validate() throws SchemaValidationException {
        local.validate();
        remote.validate();
    }

    @Override
    public void truncate() {
        local.truncate();
        remote.truncate();
    }
}
