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

    private final boolean owned;

    private LocalDataSource(DataSource pool, boolean owned) {
        super(pool);
        this.owned = owned;
    }

    static LocalDataSource open(Map<String, Object> settings, String unitName) {
        io.dbcomposite.internal.config.ConnectionSpec spec = SettingsReader.localConnection(settings);
        // a pool opened here from a URL is this bean's to close; one found in JNDI is the container's
        return new LocalDataSource(DataSources.open(spec, unitName), spec.url() != null);
    }

    /** Closes the pool it opened (after the unit, which depends on this bean); a JNDI data source is left alone. */
    public void close() {
        if (owned) {
            DataSources.close(getTargetDataSource());
        }
    }
}
