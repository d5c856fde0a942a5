package io.dbcomposite.sync;

import io.dbcomposite.testing.PostgresTestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * Holds a replay in the middle, for as long as a test needs: a remote transaction that inserts a product row
 * with a given id and does not commit. A replay inserting that id waits for it (on the primary key), inside its
 * remote transaction and holding the applier lock, until {@link #release()} rolls it back; then it goes on as if
 * nothing had happened.
 */
final class RemoteRowBlocker implements AutoCloseable {

    private final String schema;
    private final Connection connection;
    private final int pid;

    /**
     * @param schema the remote schema the replay writes to
     * @param productId the id of a product the replay will insert
     */
    RemoteRowBlocker(String schema, long productId) throws SQLException {
        this.schema = schema;
        this.connection = PostgresTestDatabase.connect(PostgresTestDatabase.urlFor(schema));
        try {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement("insert into product"
                    + " (id, sku, name, price, category, version, created_at, active)"
                    + " values (?, ?, 'blocker', 1.00, 'TOYS', 0, now(), true)")) {
                ps.setLong(1, productId);
                ps.setString(2, "BLOCKER-" + UUID.randomUUID());
                ps.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Waits until a remote session waits for this transaction: a replay is held in the middle. */
    void awaitWaiter(Duration timeout) {
        SyncTestBase.await("a replay to wait for the uncommitted row", timeout, () -> waiters() == 1);
    }

    /** @return how many remote sessions wait for this transaction */
    long waiters() {
        return ((Number) PostgresTestDatabase.rows(schema,
                "select count(*) as n from pg_stat_activity where ? = any(pg_blocking_pids(pid))", pid).get(0).get("n")).longValue();
    }

    /** Rolls the row back: the held replay goes on. */
    void release() throws SQLException {
        connection.rollback();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
