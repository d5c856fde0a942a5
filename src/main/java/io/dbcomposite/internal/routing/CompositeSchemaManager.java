package io.dbcomposite.internal.routing;

import jakarta.persistence.SchemaManager;
import jakarta.persistence.SchemaValidationException;

/** Schema management over both sides: each side creates, drops, validates and truncates its own tables. */
final class CompositeSchemaManager implements SchemaManager {

    private final SchemaManager local;
    private final SchemaManager remote;
    /** Told after each local step that made the log table empty or new (its ids start at 1 again). */
    private final Runnable logReset;

    CompositeSchemaManager(SchemaManager local, SchemaManager remote, Runnable logReset) {
        this.local = local;
        this.remote = remote;
        this.logReset = logReset;
    }

    @Override
    public void create(boolean createSchemas) {
        local.create(createSchemas);
        logReset.run();
        remote.create(createSchemas);
    }

    @Override
    public void drop(boolean dropSchemas) {
        local.drop(dropSchemas);
        logReset.run();
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
        logReset.run();
        remote.truncate();
    }
}
