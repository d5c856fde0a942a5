package io.dbcomposite.spring.boot;

import io.dbcomposite.internal.boot.DataSources;
import io.dbcomposite.internal.config.SettingsReader;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.util.Map;

/**
 * The local database as the Spring context's {@code DataSource} bean: the very pool the composite unit writes through
 * (SQLite in WAL mode with its busy timeout, as the unit would open it). Writes made with JDBC through it (a
 * {@code JdbcTemplate}, {@code spring.sql.init} scripts) are not captured and never reach the remote.
 */
public final class LocalDataSource extends DelegatingDataSource {

    private LocalDataSource(DataSource pool) {
        super(pool);
    }

    static LocalDataSource open(Map<String, Object> settings, String unitName) {
        return new LocalDataSource(DataSources.open(SettingsReader.localConnection(settings), unitName));
    }

    /** Closes the pool (after the unit, which depends on this bean). */
    public void close() {
        DataSources.close(getTargetDataSource());
    }
}
