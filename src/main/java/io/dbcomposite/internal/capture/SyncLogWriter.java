package io.dbcomposite.internal.capture;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/** Writes a transaction's buffered changes as {@code dbc_sync_log} rows on the transaction's own connection. */
final class SyncLogWriter {

    static final String INSERT = "insert into dbc_sync_log (tx_id, entity_name, entity_id, operation, payload, status,"
            + " attempts, created_at, synced_at) values (?, ?, ?, ?, ?, ?, 0, ?, ?)";

    private SyncLogWriter() {
    }

    /** One transaction's rows are inserted together under the write lock, so they are contiguous. */
    private static void rememberIds(Connection connection, ChangeBuffer buffer, int count) throws SQLException {
        try (PreparedStatement last = connection.prepareStatement("select max(id) from dbc_sync_log");
             java.sql.ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                buffer.written(rs.getLong(1) - count + 1, rs.getLong(1));
            }
        }
    }

    static void write(SharedSessionContractImplementor session, ChangeBuffer buffer, Instant now) {
        List<ChangeBuffer.Change> changes = buffer.toWrite();
        if (changes.isEmpty()) {
            return;
        }
        Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        Timestamp created = Timestamp.from(now);
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            for (ChangeBuffer.Change c : changes) {
                EntityPersister p = c.persister();
                String name = p.getJpaEntityName();
                boolean synced = buffer.isSynced(p.getEntityName());
                ps.setString(1, buffer.txId());
                ps.setString(2, name);
                ps.setString(3, c.entityId());
                ps.setString(4, c.operation().name());
                if (c.payload() == null) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, c.payload());
                }
                ps.setString(6, (synced ? ChangeStatus.SYNCED : ChangeStatus.PENDING).name());
                ps.setTimestamp(7, created, utc);
                if (synced) {
                    ps.setTimestamp(8, created, utc);
                } else {
                    ps.setNull(8, Types.TIMESTAMP);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            if (buffer.wantsLogIds()) {
                rememberIds(connection, buffer, changes.size());
            }
        } catch (SQLException e) {
            throw new CompositeException("Cannot write " + changes.size() + " change(s) of local transaction " + buffer.txId()
                    + " to the sync log (dbc_sync_log); the transaction is rolled back: " + e.getMessage(), e);
        }
    }
}
