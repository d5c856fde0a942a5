package io.dbcomposite.internal.boot;

import org.hibernate.engine.jdbc.connections.internal.DataSourceConnectionProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The local SQLite side's connections: Hibernate's own data-source provider, which gives a connection back to the pool
 * only once the transaction mode a commit deferred is the connection's own again ({@link SqliteTransactionCoordinatorBuilder}).
 * Hibernate gives a connection back right after the commit, before the transaction's synchronizations run, so this is
 * the one place where no other thread can have the connection yet.
 */
final class SqliteConnectionProvider extends DataSourceConnectionProvider {

    private final transient SqliteTransactionCoordinatorBuilder transactions;

    SqliteConnectionProvider(SqliteTransactionCoordinatorBuilder transactions) {
        this.transactions = transactions;
    }

    @Override
    public void configure(Map<String, Object> configuration) {
        super.configure(configuration);
        // from now on a commit may defer the next begin: the connection gets its mode back here
        transactions.connectionsComeBackThroughProvider();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        try {
            transactions.restoreMode(connection);
        } finally {
            super.closeConnection(connection);
        }
    }
}
