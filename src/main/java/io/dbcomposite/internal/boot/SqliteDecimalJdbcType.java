package io.dbcomposite.internal.boot;

import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.AdjustableJdbcType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.DecimalJdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A {@code NUMERIC}/{@code DECIMAL} value on the local SQLite side, kept exactly in the dialect's own
 * {@code numeric(p,s)} column (numeric affinity). The SQLite dialect binds a {@code BigDecimal} such that SQLite keeps it
 * as a REAL: the scale is lost ({@code 19.90} reads {@code 19.9}) and so is every digit after the fifteenth.
 *
 * <p>Each mapped column gets an instance that knows the column's scale (its {@code @Column(scale)}, or the Java type's
 * default, 2 for {@code BigDecimal} and 0 for {@code BigInteger} and {@code Duration}, which is what Hibernate gives the
 * remote column): the value is written and read at that scale, as the remote's {@code numeric(p,s)} column holds it
 * ({@code 1.5} is {@code 1.50} on both sides). How it is written depends on its digits:
 * <ul>
 *   <li>a whole number that fits in 64 bits: as an INTEGER;</li>
 *   <li>at most 15 significant digits: as its decimal text, which SQLite's numeric affinity turns into a REAL without
 *       loss (15 digits survive a REAL both ways).</li>
 * </ul>
 * Read back, the column's scale gives the scale back. Such values compare, sort and add up as numbers in SQL, as
 * before. Any other value (more significant digits) is written as the bytes of its decimal text, a BLOB, which no
 * affinity converts: exact, but in SQL not a number: it sorts after every number and text, equals only the same text (a
 * parameter bound through this type at the column's scale), and {@code sum}/{@code avg} do not see its value.
 * <p>
 * A value with more digits after the point than the scale is rounded half up, as PostgreSQL does (the unit's remote
 * limits refuse such a value before it is written). The registry's own instance (a query parameter with no column,
 * a column whose scale Hibernate does not know, e.g. one with a {@code columnDefinition}) writes the value's text and
 * reads it back with the scale SQLite returns.
 */
public final class SqliteDecimalJdbcType extends DecimalJdbcType implements AdjustableJdbcType {

    /** The registry's instance: a value keeps its own scale. */
    public static final SqliteDecimalJdbcType INSTANCE = new SqliteDecimalJdbcType(SqlTypes.DECIMAL, -1);
    /** The registry's instance for {@code NUMERIC}. */
    public static final SqliteDecimalJdbcType NUMERIC = new SqliteDecimalJdbcType(SqlTypes.NUMERIC, -1);

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final int code;
    /** The column's scale, or -1 to keep the value's own. */
    private final int scale;

    private SqliteDecimalJdbcType(int code, int scale) {
        this.code = code;
        this.scale = scale;
    }

    @Override
    public int getJdbcTypeCode() {
        return code;
    }

    @Override
    public JdbcType resolveIndicatedType(JdbcTypeIndicators indicators, JavaType<?> domainJtd) {
        int columnScale = indicators.getColumnScale();
        if (columnScale == JdbcTypeIndicators.NO_COLUMN_SCALE) {
            columnScale = domainJtd.getDefaultSqlScale(indicators.getDialect(), this);
        }
        return columnScale == scale || columnScale < 0 ? this : new SqliteDecimalJdbcType(code, columnScale);
    }

    /** @return the value at the column's scale (rounded half up), or as it is */
    BigDecimal scaled(BigDecimal value) {
        return value == null || scale < 0 || value.scale() == scale ? value : value.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                BigDecimal decimal = scaled(javaType.unwrap(value, BigDecimal.class, options));
                if (scale < 0) {
                    st.setString(index, decimal.toPlainString());
                    return;
                }
                BigDecimal significant = decimal.stripTrailingZeros();
                if (significant.scale() <= 0 && significant.compareTo(LONG_MIN) >= 0 && significant.compareTo(LONG_MAX) <= 0) {
                    // an INTEGER; as text with a fraction ("9223372036854775807.00") SQLite would go through a double
                    st.setLong(index, significant.longValueExact());
                } else if (significant.precision() <= 15) {
                    st.setString(index, decimal.toPlainString());
                } else {
                    st.setBytes(index, decimal.toPlainString().getBytes(StandardCharsets.US_ASCII));
                }
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                throw new SQLException("SQLite has no callable statements");
            }
        };
    }

    @Override
    public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
        return new BasicExtractor<>(javaType, this) {
            @Override
            protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                return javaType.wrap(parse(rs.getString(paramIndex)), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                return javaType.wrap(parse(statement.getString(index)), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, String name, WrapperOptions options) throws SQLException {
                return javaType.wrap(parse(statement.getString(name)), options);
            }
        };
    }

    /**
     * @param text the column's value as text: an INTEGER ({@code 1000}), a REAL ({@code 19.9}, or {@code 1.2345e+27}
     *     for a value an earlier version let SQLite round), or the BLOB of a value's decimal text
     */
    private BigDecimal parse(String text) {
        return text == null ? null : scaled(new BigDecimal(text.trim()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqliteDecimalJdbcType t && t.code == code && t.scale == scale;
    }

    @Override
    public int hashCode() {
        return code * 31 + scale;
    }

    @Override
    public String toString() {
        return "SqliteDecimalJdbcType(" + (scale < 0 ? "own scale" : "scale " + scale) + ")";
    }
}
