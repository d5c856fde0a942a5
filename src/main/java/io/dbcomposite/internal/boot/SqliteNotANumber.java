package io.dbcomposite.internal.boot;

import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.DoubleJdbcType;
import org.hibernate.type.descriptor.jdbc.FloatJdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.RealJdbcType;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code float}, {@code real} and {@code double} values on the local SQLite side with NaN kept: SQLite stores a NaN
 * bound as a REAL as NULL (a NOT NULL column then refuses it), while PostgreSQL keeps it. A NaN is written as the text
 * {@code NaN}, which the column's REAL affinity leaves as text, and read back as NaN; in SQL it sorts after every
 * number, as PostgreSQL sorts NaN. Every other value is bound and read as the dialect's types do. Reading costs one
 * more call only for a value that reads as zero.
 *
 * <p>Negative zero is not kept: SQLite stores {@code -0.0} as {@code 0.0}, whatever it is bound as.
 */
final class SqliteNotANumber {

    private static final String NAN = "NaN";

    private SqliteNotANumber() {
    }

    /** A {@code double} column. */
    static final class Double extends DoubleJdbcType {
        static final Double INSTANCE = new Double();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return binder(javaType, this);
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return extractor(javaType, this);
        }
    }

    /** A {@code float} column. */
    static final class Float extends FloatJdbcType {
        static final Float INSTANCE = new Float();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return binder(javaType, this);
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return extractor(javaType, this);
        }
    }

    /** A {@code real} column. */
    static final class Real extends RealJdbcType {
        static final Real INSTANCE = new Real();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return binder(javaType, this);
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return extractor(javaType, this);
        }
    }

    private static <X> ValueBinder<X> binder(JavaType<X> javaType, JdbcType jdbcType) {
        return new BasicBinder<>(javaType, jdbcType) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
                double d = javaType.unwrap(value, java.lang.Double.class, options);
                if (java.lang.Double.isNaN(d)) {
                    st.setString(index, NAN);
                } else {
                    st.setDouble(index, d);
                }
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
                throw new SQLException("SQLite has no callable statements");
            }
        };
    }

    private static <X> ValueExtractor<X> extractor(JavaType<X> javaType, JdbcType jdbcType) {
        return new BasicExtractor<>(javaType, jdbcType) {
            @Override
            protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                double d = rs.getDouble(paramIndex);
                // a text reads as zero: the one text this type writes is NaN
                if (d == 0.0 && !rs.wasNull() && NAN.equals(rs.getString(paramIndex))) {
                    d = java.lang.Double.NaN;
                }
                return javaType.wrap(d, options);
            }

            @Override
            protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                throw new SQLException("SQLite has no callable statements");
            }

            @Override
            protected X doExtract(CallableStatement statement, String name, WrapperOptions options) throws SQLException {
                throw new SQLException("SQLite has no callable statements");
            }
        };
    }
}
