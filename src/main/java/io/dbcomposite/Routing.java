package io.dbcomposite;

import java.util.Objects;

/**
 * How one entity is routed: an immutable value. Attributes left at {@code DEFAULT} are filled
 * from the next level of configuration.
 *
 * <pre>{@code
 * Routing events = Routing.builder().read(Read.REMOTE).write(Write.REMOTE).sync(Sync.NONE).build();
 * }</pre>
 */
public final class Routing {

    /** Every attribute at {@code DEFAULT}: decides nothing. */
    public static final Routing UNSET = new Routing(Read.DEFAULT, Write.DEFAULT, Sync.DEFAULT, OnRemoteFail.DEFAULT,
            OnConflict.DEFAULT);

    /** The built-in defaults: read LOCAL, write LOCAL, sync BACKGROUND, onRemoteFail QUEUE, onConflict FAIL. */
    public static final Routing BUILT_IN = new Routing(Read.LOCAL, Write.LOCAL, Sync.BACKGROUND, OnRemoteFail.QUEUE,
            OnConflict.FAIL);

    private final Read read;
    private final Write write;
    private final Sync sync;
    private final OnRemoteFail onRemoteFail;
    private final OnConflict onConflict;

    private Routing(Read read, Write write, Sync sync, OnRemoteFail onRemoteFail, OnConflict onConflict) {
        this.read = Objects.requireNonNull(read, "read");
        this.write = Objects.requireNonNull(write, "write");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.onRemoteFail = Objects.requireNonNull(onRemoteFail, "onRemoteFail");
        this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
    }

    /** @return a builder with every attribute at {@code DEFAULT} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a routing from the attributes of an annotation */
    public static Routing of(CompositeRouting annotation) {
        return new Routing(annotation.read(), annotation.write(), annotation.sync(), annotation.onRemoteFail(),
                annotation.onConflict());
    }

    /** @return where reads go */
    public Read read() {
        return read;
    }

    /** @return where writes go */
    public Write write() {
        return write;
    }

    /** @return whether local writes are replayed */
    public Sync sync() {
        return sync;
    }

    /** @return what a failing remote write does */
    public OnRemoteFail onRemoteFail() {
        return onRemoteFail;
    }

    /** @return what a replay does when the remote row is not in the state the change was based on */
    public OnConflict onConflict() {
        return onConflict;
    }

    /**
     * Fills every {@code DEFAULT} attribute of this routing from {@code fallback}.
     *
     * @param fallback the next level of configuration
     * @return a routing where this one's explicit attributes win
     */
    public Routing orElse(Routing fallback) {
        return new Routing(
                read == Read.DEFAULT ? fallback.read : read,
                write == Write.DEFAULT ? fallback.write : write,
                sync == Sync.DEFAULT ? fallback.sync : sync,
                onRemoteFail == OnRemoteFail.DEFAULT ? fallback.onRemoteFail : onRemoteFail,
                onConflict == OnConflict.DEFAULT ? fallback.onConflict : onConflict);
    }

    /** @return a builder holding this routing's attributes */
    public Builder toBuilder() {
        return new Builder().read(read).write(write).sync(sync).onRemoteFail(onRemoteFail).onConflict(onConflict);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Routing r && r.read == read && r.write == write && r.sync == sync && r.onRemoteFail == onRemoteFail
                && r.onConflict == onConflict;
    }

    @Override
    public int hashCode() {
        return Objects.hash(read, write, sync, onRemoteFail, onConflict);
    }

    @Override
    public String toString() {
        return "Routing[read=" + read + ", write=" + write + ", sync=" + sync + ", onRemoteFail=" + onRemoteFail
                + ", onConflict=" + onConflict + "]";
    }

    /** Builds a {@link Routing}; every attribute starts at {@code DEFAULT}. */
    public static final class Builder {
        private Read read = Read.DEFAULT;
        private Write write = Write.DEFAULT;
        private Sync sync = Sync.DEFAULT;
        private OnRemoteFail onRemoteFail = OnRemoteFail.DEFAULT;
        private OnConflict onConflict = OnConflict.DEFAULT;

        private Builder() {
        }

        /** @param read where reads go @return this builder */
        public Builder read(Read read) {
            this.read = Objects.requireNonNull(read, "read");
            return this;
        }

        /** @param write where writes go @return this builder */
        public Builder write(Write write) {
            this.write = Objects.requireNonNull(write, "write");
            return this;
        }

        /** @param sync whether local writes are replayed @return this builder */
        public Builder sync(Sync sync) {
            this.sync = Objects.requireNonNull(sync, "sync");
            return this;
        }

        /** @param onRemoteFail what a failing remote write does @return this builder */
        public Builder onRemoteFail(OnRemoteFail onRemoteFail) {
            this.onRemoteFail = Objects.requireNonNull(onRemoteFail, "onRemoteFail");
            return this;
        }

        /**
         * @param onConflict what a replay does when the remote row is not in the state the change was based on
         * @return this builder
         */
        public Builder onConflict(OnConflict onConflict) {
            this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
            return this;
        }

        /** @return the immutable routing */
        public Routing build() {
            return new Routing(read, write, sync, onRemoteFail, onConflict);
        }
    }
}
