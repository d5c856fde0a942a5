package io.dbcomposite.internal.boot;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds local SQLite tables that exist without the foreign keys the mapping declares (created by an earlier version,
 * or by {@code hbm2ddl=update} before the keys were declared): SQLite cannot add a key to an existing table, so
 * {@code update} leaves them as they are. One WARN at start names them and the way out; nothing else changes.
 */
final class MissingForeignKeys {

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.boot");

    private MissingForeignKeys() {
    }

    /** @return the existing tables that lack at least one of their foreign keys, in name order */
    static Set<String> find(DataSource dataSource, LocalConstraints constraints) throws SQLException {
        Set<String> missing = new TreeSet<>();
        if (constraints == null || constraints.byTable().isEmpty()) {
            return missing;
        }
        try (Connection c = dataSource.getConnection()) {
            Set<String> existing = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("select name from sqlite_master where type = 'table'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            for (Map.Entry<String, List<LocalConstraints.Key>> e : constraints.byTable().entrySet()) {
                List<LocalConstraints.Key> keys = e.getValue();
                String table = keys.get(0).table();
                if (!existing.contains(e.getKey())) {
                    continue;
                }
                List<String> declared = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select \"table\", \"from\" from pragma_foreign_key_list(?)")) {
                    ps.setString(1, LocalConstraints.key(table));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            declared.add(LocalConstraints.key(rs.getString(1)) + "." + rs.getString(2).toLowerCase(Locale.ROOT));
                        }
                    }
                }
                for (LocalConstraints.Key k : keys) {
                    String first = LocalConstraints.key(k.referencedTable()) + "." + k.columns().get(0).toLowerCase(Locale.ROOT)
                            .replace("\"", "").replace("`", "");
                    if (!declared.contains(first)) {
                        missing.add(table);
                        break;
                    }
                }
            }
        }
        return missing;
    }

    /** Logs the tables without their keys once, at start; a failure to look is logged at DEBUG and ignored. */
    static void warnOnce(String unit, DataSource dataSource, LocalConstraints constraints) {
        Set<String> missing;
        try {
            missing = find(dataSource, constraints);
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not check the local foreign keys of persistence unit ''{0}'': {1}",
                    unit, e.getMessage());
            return;
        }
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "The local SQLite database of persistence unit ''{0}'' has tables created"
                    + " without the foreign keys their mapping declares: {1}. SQLite cannot add a foreign key to an existing"
                    + " table, so dangling references in them are not refused locally (the remote refuses them at replay)."
                    + " Rebuild those tables, or delete the local database file after a full sync and let hbm2ddl create"
                    + " it again (see UPGRADING.md).", unit, missing);
        }
    }
}
