package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * Entities whose {@code @Version} is a timestamp ({@code Instant}, {@code LocalDateTime}, {@code Timestamp}), each
 * written DUAL with FAIL, DUAL with QUEUE, and locally with a background sync, for {@link TimeFidelityTest}.
 */
public final class StampVersioned {

    private StampVersioned() {
    }

    /** What the test needs of each of them. */
    public interface Stamped {
        Long getId();

        void setLabel(String label);

        Object getVersion();
    }

    @MappedSuperclass
    public abstract static class InstantStamped implements Stamped {
        @Id
        private Long id;
        private String label;
        @Version
        private Instant version;

        protected InstantStamped() {
        }

        protected InstantStamped(Long id, String label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public Long getId() {
            return id;
        }

        @Override
        public void setLabel(String label) {
            this.label = label;
        }

        @Override
        public Object getVersion() {
            return version;
        }
    }

    @MappedSuperclass
    public abstract static class LocalDateTimeStamped implements Stamped {
        @Id
        private Long id;
        private String label;
        @Version
        private LocalDateTime version;

        protected LocalDateTimeStamped() {
        }

        protected LocalDateTimeStamped(Long id, String label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public Long getId() {
            return id;
        }

        @Override
        public void setLabel(String label) {
            this.label = label;
        }

        @Override
        public Object getVersion() {
            return version;
        }
    }

    @MappedSuperclass
    public abstract static class TimestampStamped implements Stamped {
        @Id
        private Long id;
        private String label;
        @Version
        private Timestamp version;

        protected TimestampStamped() {
        }

        protected TimestampStamped(Long id, String label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public Long getId() {
            return id;
        }

        @Override
        public void setLabel(String label) {
            this.label = label;
        }

        @Override
        public Object getVersion() {
            return version;
        }
    }

    @Entity(name = "InstantDualFail")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class InstantDualFail extends InstantStamped {
        protected InstantDualFail() {
        }

        public InstantDualFail(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "InstantDualQueue")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class InstantDualQueue extends InstantStamped {
        protected InstantDualQueue() {
        }

        public InstantDualQueue(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "InstantSynced")
    public static class InstantSynced extends InstantStamped {
        protected InstantSynced() {
        }

        public InstantSynced(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "LocalDateTimeDualFail")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class LocalDateTimeDualFail extends LocalDateTimeStamped {
        protected LocalDateTimeDualFail() {
        }

        public LocalDateTimeDualFail(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "LocalDateTimeDualQueue")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class LocalDateTimeDualQueue extends LocalDateTimeStamped {
        protected LocalDateTimeDualQueue() {
        }

        public LocalDateTimeDualQueue(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "LocalDateTimeSynced")
    public static class LocalDateTimeSynced extends LocalDateTimeStamped {
        protected LocalDateTimeSynced() {
        }

        public LocalDateTimeSynced(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "TimestampDualFail")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class TimestampDualFail extends TimestampStamped {
        protected TimestampDualFail() {
        }

        public TimestampDualFail(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "TimestampDualQueue")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class TimestampDualQueue extends TimestampStamped {
        protected TimestampDualQueue() {
        }

        public TimestampDualQueue(Long id, String label) {
            super(id, label);
        }
    }

    @Entity(name = "TimestampSynced")
    public static class TimestampSynced extends TimestampStamped {
        protected TimestampSynced() {
        }

        public TimestampSynced(Long id, String label) {
            super(id, label);
        }
    }
}
