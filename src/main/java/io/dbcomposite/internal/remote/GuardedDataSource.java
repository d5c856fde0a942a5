package io.dbcomposite.internal.remote;

import io.dbcomposite.internal.config.Failures;
import io.dbcomposite.RemoteUnavailableException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The remote data source as every part of the unit sees it (both Hibernate and the sync engine): while the remote
 * is known to be down, {@link #getConnection()} throws {@link RemoteUnavailableException} at once instead of
 * waiting out the pool's timeout; a connection that cannot be had starts an outage; the first connection after
 * one ends it.
 */
public final class GuardedDataSource implements DataSource {

    private final DataSource delegate;
    private final RemoteAvailability availability;

    /**
     * @param delegate the remote pool (or the application's data source)
     * @param availability the unit's knowledge of the remote
     */
    public GuardedDataSource(DataSource delegate, RemoteAvailability availability) {
        this.delegate = delegate;
        this.availability = availability;
    }

    /** @return the data source this guards */
    public DataSource delegate() {
        return delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        boolean probe = availability.enter();
        Connection c;
        try {
            c = delegate.getConnection();
        } catch (SQLException | RuntimeException e) {
            if (availability.failed(e, probe)) {
                throw availability.unavailable("Cannot reach the remote database " + availability.remoteName() + ": "
                        + io.dbcomposite.internal.config.Failures.rootMessage(e), e);
            }
            throw e;
        }
        try {
            availability.succeeded(probe);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the remote connects with the unit's own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
