package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import jakarta.persistence.Temporal;
import jakarta.persistence.TemporalType;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;

/**
 * Entities holding only the temporal types whose stored value SQLite's local side gives as a truncation to the
 * millisecond, synced in the background and written DUAL, for {@link StoredValuesInJavaTest}.
 */
public final class TruncatedMoments {

    /** The columns, in the order of {@link Moments#set}. */
    public static final String[] COLUMNS = {"instant", "offsetDateTime", "zonedDateTime", "sqlTimestamp", "utilTimestamp"};
    /** The columns PostgreSQL keeps with a time zone (the others are UTC wall times). */
    public static final String[] ZONED_COLUMNS = {"instant", "offsetDateTime", "zonedDateTime"};

    private TruncatedMoments() {
    }

    @MappedSuperclass
    public abstract static class Moments {
        @Id
        private Long id;
        private Instant instant;
        private OffsetDateTime offsetDateTime;
        private ZonedDateTime zonedDateTime;
        private Timestamp sqlTimestamp;
        @Temporal(TemporalType.TIMESTAMP)
        private Date utilTimestamp;

        protected Moments() {
        }

        protected Moments(Long id) {
            this.id = id;
        }

        public Long getId() {
            return id;
        }

        /** Sets every attribute from one moment, in zones and offsets other than UTC where the type has one. */
        public void set(OffsetDateTime moment) {
            Instant at = moment.toInstant();
            instant = at;
            offsetDateTime = moment;
            zonedDateTime = moment.atZoneSameInstant(ZoneId.of("America/New_York"));
            sqlTimestamp = Timestamp.from(at);
            utilTimestamp = Timestamp.from(at.plusNanos(1));
        }
    }

    @Entity
    @Table(name = "synced_truncated")
    public static class SyncedTruncated extends Moments {
        protected SyncedTruncated() {
        }

        public SyncedTruncated(Long id) {
            super(id);
        }
    }

    @Entity
    @Table(name = "dual_truncated")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class DualTruncated extends Moments {
        protected DualTruncated() {
        }

        public DualTruncated(Long id) {
            super(id);
        }
    }
}
