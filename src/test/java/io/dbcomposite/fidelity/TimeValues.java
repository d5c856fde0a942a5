package io.dbcomposite.fidelity;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Temporal;
import jakarta.persistence.TemporalType;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Date;

/** One attribute of every temporal type Hibernate maps, for the entities of {@link TimeFidelityTest}. */
@MappedSuperclass
public abstract class TimeValues {
    @Id
    private Long id;
    private Instant instant;
    private LocalDateTime localDateTime;
    private LocalDate day;
    // Hibernate creates a time column with whole seconds on PostgreSQL unless told otherwise; SQLite keeps milliseconds
    @Column(secondPrecision = 3)
    private LocalTime clockTime;
    private OffsetDateTime offsetDateTime;
    @Column(secondPrecision = 3)
    private OffsetTime offsetTime;
    private ZonedDateTime zonedDateTime;
    @Temporal(TemporalType.TIMESTAMP)
    private Date utilTimestamp;
    @Temporal(TemporalType.DATE)
    private Date utilDate;
    @Temporal(TemporalType.TIME)
    @Column(secondPrecision = 3)
    private Date utilTime;
    private Timestamp sqlTimestamp;
    @Temporal(TemporalType.TIMESTAMP)
    private Calendar calendar;
    private Duration duration;
    private TimeWindow window;

    protected TimeValues() {
    }

    protected TimeValues(Long id) {
        this.id = id;
    }

    public Long getId() {
        return id;
    }

    public Instant getInstant() {
        return instant;
    }

    public void setInstant(Instant instant) {
        this.instant = instant;
    }

    public LocalDateTime getLocalDateTime() {
        return localDateTime;
    }

    public void setLocalDateTime(LocalDateTime localDateTime) {
        this.localDateTime = localDateTime;
    }

    public LocalDate getDay() {
        return day;
    }

    public void setDay(LocalDate day) {
        this.day = day;
    }

    public LocalTime getClockTime() {
        return clockTime;
    }

    public void setClockTime(LocalTime clockTime) {
        this.clockTime = clockTime;
    }

    public OffsetDateTime getOffsetDateTime() {
        return offsetDateTime;
    }

    public void setOffsetDateTime(OffsetDateTime offsetDateTime) {
        this.offsetDateTime = offsetDateTime;
    }

    public OffsetTime getOffsetTime() {
        return offsetTime;
    }

    public void setOffsetTime(OffsetTime offsetTime) {
        this.offsetTime = offsetTime;
    }

    public ZonedDateTime getZonedDateTime() {
        return zonedDateTime;
    }

    public void setZonedDateTime(ZonedDateTime zonedDateTime) {
        this.zonedDateTime = zonedDateTime;
    }

    public Date getUtilTimestamp() {
        return utilTimestamp;
    }

    public void setUtilTimestamp(Date utilTimestamp) {
        this.utilTimestamp = utilTimestamp;
    }

    public Date getUtilDate() {
        return utilDate;
    }

    public void setUtilDate(Date utilDate) {
        this.utilDate = utilDate;
    }

    public Date getUtilTime() {
        return utilTime;
    }

    public void setUtilTime(Date utilTime) {
        this.utilTime = utilTime;
    }

    public Timestamp getSqlTimestamp() {
        return sqlTimestamp;
    }

    public void setSqlTimestamp(Timestamp sqlTimestamp) {
        this.sqlTimestamp = sqlTimestamp;
    }

    public Calendar getCalendar() {
        return calendar;
    }

    public void setCalendar(Calendar calendar) {
        this.calendar = calendar;
    }

    public Duration getDuration() {
        return duration;
    }

    public void setDuration(Duration duration) {
        this.duration = duration;
    }

    public TimeWindow getWindow() {
        return window;
    }

    public void setWindow(TimeWindow window) {
        this.window = window;
    }
}
