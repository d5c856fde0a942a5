package io.dbcomposite.internal.remote;

import io.dbcomposite.RemoteUnavailableException;
import org.hibernate.exception.JDBCConnectionException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Tells a failure to reach the remote (network, pool timeout, lost connection) from a refusal by a remote that answered. */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** @return true if the cause chain shows the remote could not be reached or the connection was lost */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RemoteUnavailableException || t instanceof JDBCConnectionException
                    || t instanceof SQLTransientConnectionException || t instanceof SocketException
                    || t instanceof SocketTimeoutException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** @return the RemoteUnavailableException in the cause chain, or null */
    public static RemoteUnavailableException unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RemoteUnavailableException r) {
                return r;
            }
        }
        return null;
    }
}
