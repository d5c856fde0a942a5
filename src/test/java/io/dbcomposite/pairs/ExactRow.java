package io.dbcomposite.pairs;

import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.OrderColumn;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One nullable attribute of every basic type Hibernate maps, for {@link ExactValuesSuite}; each row of the suite's
 * table sets one of them. Fields are package-visible so the table can name them in lambdas.
 */
@MappedSuperclass
public abstract class ExactRow {
    /** The enum of the enum rows. */
    public enum Colour { RED, GREEN, BLUE }

    @Id
    Long id;
    String text;
    @Column(name = "long_text", length = 20_000) // "longText" is a MariaDB keyword
    String longText;
    Character letter;
    Boolean flag;
    Byte tiny;
    Short small;
    Integer number;
    Long big;
    Float single;
    Double dbl;
    BigInteger huge;
    @Column(precision = 10, scale = 2)
    BigDecimal price;
    @Column(precision = 38, scale = 10)
    BigDecimal wide;
    /** Hibernate's default decimal column: numeric(38,2). */
    BigDecimal plain;
    UUID uuid;
    @Enumerated(EnumType.ORDINAL)
    Colour ordinal;
    @Enumerated(EnumType.STRING)
    Colour named;
    Instant instant;
    LocalDate calendarDay;
    @Column(secondPrecision = 6)
    LocalTime clock;
    LocalDateTime dateTime;
    OffsetDateTime offsetDateTime;
    ZonedDateTime zonedDateTime;
    Duration duration;
    byte[] bytes;
    @Lob
    byte[] lobBytes;
    @Lob
    String lobText;
    @Column(name = "blob_value") // "blob" is a MariaDB keyword
    Blob blob;
    @Column(name = "clob_value")
    Clob clob;
    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> json;
    @Embedded
    ExactPart part;
    @ElementCollection
    @OrderColumn
    List<ExactPart> parts = new ArrayList<>();

    protected ExactRow() {
    }

    protected ExactRow(long id) {
        this.id = id;
    }
}
