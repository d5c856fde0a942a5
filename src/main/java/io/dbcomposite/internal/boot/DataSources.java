package io.dbcomposite.internal.boot;

import io.dbcomposite.internal.config.ConnectionSpec;
import io.dbcomposite.internal.config.Failures;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dbcomposite.CompositeConfigurationException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens the data source of one side: a HikariCP pool for a URL (SQLite tuned for concurrent use),
 * or the given / JNDI data source; and checks that the database answers.
 */
public final class DataSources {

    /** SQLite waits this long for the write lock before reporting SQLITE_BUSY. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private DataSources() {
    }

    /**
     * @return the side's data source; a pool this library owns is a {@link HikariDataSource}
     * @throws CompositeConfigurationException if the database cannot be reached, naming the URL without credentials
     */
    public static DataSource open(ConnectionSpec spec, String unitName) {
        return open(spec, unitName, false);
    }

    /**
     * @param checkpointsInBackground whether a pool of a SQLite file that this library opens leaves its checkpoints
     *     to {@link LocalCheckpoints} (SQLite's own only past {@link LocalCheckpoints#INLINE_FALLBACK_FRAMES} frames)
     */
    public static DataSource open(ConnectionSpec spec, String unitName, boolean checkpointsInBackground) {
        DataSource ds;
        if (spec.dataSource() != null) {
            ds = spec.dataSource();
        } else if (spec.jndiName() != null) {
            ds = lookup(spec);
        } else {
            try {
                ds = pool(spec, unitName, checkpointsInBackground);
            } catch (RuntimeException e) {
                throw unreachable(spec, e);
            }
        }
        try (Connection c = ds.getConnection()) {
            if (!c.isValid(10)) {
                throw new SQLException("connection is not valid");
            }
        } catch (SQLException | RuntimeException e) {
            close(ds);
            throw unreachable(spec, e);
        }
        return ds;
    }

    /**
     * Opens the remote's data source without touching the database: a pool this library owns starts empty, waits at
     * most {@code connectTimeout} for a connection (connect and login included) and lets one statement wait at most
     * {@code socketTimeout} for the server.
     */
    public static DataSource openRemote(ConnectionSpec spec, String unitName, java.time.Duration connectTimeout,
                                        java.time.Duration socketTimeout) {
        if (spec.dataSource() != null) {
            return spec.dataSource();
        }
        if (spec.jndiName() != null) {
            return lookup(spec);
        }
        try {
            return remotePool(spec, unitName, connectTimeout, socketTimeout);
        } catch (RuntimeException e) {
            throw unreachable(spec, e);
        }
    }

    /** @return null if the data source gives a valid connection, else why not */
    public static Exception probe(DataSource ds, java.time.Duration timeout) {
        try (Connection c = ds.getConnection()) {
            if (!c.isValid((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds())))) {
                return new SQLException("connection is not valid", "08000");
            }
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        }
    }

    /** @return the exception for a database that cannot be reached, naming its URL without credentials */
    public static CompositeConfigurationException unreachableAtStart(ConnectionSpec spec, Exception e) {
        return unreachable(spec, e);
    }

    private static HikariDataSource remotePool(ConnectionSpec spec, String unitName, java.time.Duration connectTimeout,
                                               java.time.Duration socketTimeout) {
        HikariConfig config = poolOf(spec, unitName);
        // the unit starts while the remote is down; the first use finds out
        config.setInitializationFailTimeout(-1);
        long connectMs = Math.max(250, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
        config.setConnectionTimeout(connectMs);
        config.setValidationTimeout(Math.max(250, Math.min(connectMs, 5_000)));
        String url = spec.url().toLowerCase(java.util.Locale.ROOT);
        long socketMs = Math.max(1, Math.min(socketTimeout.toMillis(), Integer.MAX_VALUE));
        if (url.startsWith("jdbc:postgresql:")) {
            // pgjdbc counts these in whole seconds
            String connectS = String.valueOf(Math.max(1, (connectMs + 999) / 1000));
            putUnlessInUrl(config, spec.url(), "connectTimeout", connectS);
            putUnlessInUrl(config, spec.url(), "loginTimeout", connectS);
            putUnlessInUrl(config, spec.url(), "socketTimeout", String.valueOf(Math.max(1, (socketMs + 999) / 1000)));
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            putUnlessInUrl(config, spec.url(), "connectTimeout", String.valueOf(connectMs));
            putUnlessInUrl(config, spec.url(), "socketTimeout", String.valueOf(socketMs));
        }
        return new HikariDataSource(config);
    }

    /** Retires every pooled connection of a pool this library owns (they are suspect after an outage). */
    public static void evictPooled(DataSource ds) {
        if (ds instanceof HikariDataSource h && h.getHikariPoolMXBean() != null) {
            h.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static CompositeConfigurationException unreachable(ConnectionSpec spec, Exception e) {
        return new CompositeConfigurationException("Cannot reach the " + spec.side() + " database at " + spec.describe()
                + ": " + Failures.rootMessage(e), e);
    }

    public static void close(DataSource ds) {
        if (ds instanceof HikariDataSource h) {
            h.close();
        }
    }

    private static DataSource lookup(ConnectionSpec spec) {
        try {
            Object o = new InitialContext().lookup(spec.jndiName());
            if (o instanceof DataSource d) {
                return d;
            }
            throw new CompositeConfigurationException("JNDI name '" + spec.jndiName() + "' of the " + spec.side()
                    + " side names a " + (o == null ? "null" : o.getClass().getName()) + ", not a javax.sql.DataSource");
        } catch (NamingException e) {
            throw new CompositeConfigurationException("Cannot look up the " + spec.side() + " DataSource '" + spec.jndiName()
                    + "' in JNDI: " + e.getMessage(), e);
        }
    }

    /** @return the pool settings every side shares: its name, URL and credentials */
    private static HikariConfig poolOf(ConnectionSpec spec, String unitName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("dbcomposite-" + unitName + "-" + spec.side());
        config.setJdbcUrl(spec.url());
        String driver = driverOf(spec.url());
        if (driver != null) {
            // named, not found through DriverManager: in an application server a redeployed application's driver is
            // never registered there again (DriverManager loads drivers once per JVM), and the pool would find none
            config.setDriverClassName(driver);
        }
        if (spec.user() != null) {
            config.setUsername(spec.user());
        }
        if (spec.password() != null) {
            config.setPassword(spec.password());
        }
        // secrets the spec took out of the URL (sslpassword, key store passwords) reach the driver as properties
        spec.secretProperties().forEach(config::addDataSourceProperty);
        return config;
    }

    /** @return the driver class of a JDBC URL of a database this library knows, if the application can load it; else null */
    static String driverOf(String url) {
        if (url == null) {
            return null;
        }
        String u = url.toLowerCase(java.util.Locale.ROOT);
        String name = u.startsWith("jdbc:sqlite:") ? "org.sqlite.JDBC"
                : u.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver"
                : u.startsWith("jdbc:mariadb:") ? "org.mariadb.jdbc.Driver"
                : u.startsWith("jdbc:mysql:") ? "com.mysql.cj.jdbc.Driver"
                : u.startsWith("jdbc:h2:") ? "org.h2.Driver"
                : null;
        if (name == null) {
            return null;
        }
        for (ClassLoader cl : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), DataSources.class.getClassLoader()}) {
            if (cl == null) {
                continue;
            }
            try {
                Class.forName(name, false, cl);
                return name;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null; // DriverManager may still know another driver for the URL
    }

    /** @return whether the library opens the pool of this local side itself, on a SQLite file (not in memory) */
    public static boolean ownsSqliteFile(ConnectionSpec spec) {
        return spec.dataSource() == null && spec.jndiName() == null && spec.isSqlite() && !isInMemory(spec.url());
    }

    private static HikariDataSource pool(ConnectionSpec spec, String unitName, boolean checkpointsInBackground) {
        HikariConfig config = poolOf(spec, unitName);
        // one attempt at start: an unreachable database fails the bootstrap at once
        config.setInitializationFailTimeout(1);
        // the local side: a caller waits this long for a pooled connection (the remote has its own timeouts)
        config.setConnectionTimeout(10_000);
        if (spec.isSqlite()) {
            String url = spec.url();
            // WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
            // writers queue on busy_timeout instead of failing with SQLITE_BUSY at their first write.
            putUnlessInUrl(config, url, "journal_mode", "WAL");
            putUnlessInUrl(config, url, "busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            putUnlessInUrl(config, url, "transaction_mode", "IMMEDIATE");
            putUnlessInUrl(config, url, "synchronous", "NORMAL");
            putUnlessInUrl(config, url, "foreign_keys", "true");
            putUnlessInUrl(config, url, "date_class", "TEXT");
            putUnlessInUrl(config, url, "date_string_format", "yyyy-MM-dd HH:mm:ss.SSS");
            if (isInMemory(url)) {
                // every connection to :memory: is a database of its own
                config.setMaximumPoolSize(1);
            } else {
                config.setMaximumPoolSize(8);
                if (checkpointsInBackground) {
                    // the unit's thread checkpoints; SQLite's own, which starts the log over, only this far (LocalCheckpoints)
                    config.setConnectionInitSql(LocalCheckpoints.CONNECTION_INIT_SQL);
                }
            }
        }
        return new HikariDataSource(config);
    }

    private static boolean isInMemory(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        return rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory");
    }

    private static void putUnlessInUrl(HikariConfig config, String url, String pragma, String value) {
        if (!url.contains(pragma + "=")) {
            config.addDataSourceProperty(pragma, value);
        }
    }
}
