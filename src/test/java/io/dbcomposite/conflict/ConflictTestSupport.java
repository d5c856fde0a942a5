package io.dbcomposite.conflict;

import io.dbcomposite.ChangeStatus;
import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.ConflictResolver;
import io.dbcomposite.SyncLogEntity;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.Transactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Units on a remote schema of a test's own, each with its own SQLite file, and direct access to both databases. */
final class ConflictTestSupport implements AutoCloseable {

    final DatabasePair pair;
    final String schema;
    private final List<Unit> units = new ArrayList<>();

    ConflictTestSupport(DatabasePair pair, String name) {
        this.pair = pair;
        this.schema = pair.createRemote(name);
    }

    /** One composite unit with a SQLite file of its own. */
    final class Unit implements AutoCloseable {
        final String localUrl;
        final CompositeEntityManagerFactory emf;

        private Unit(String localUrl, CompositeEntityManagerFactory emf) {
            this.localUrl = localUrl;
            this.emf = emf;
        }

        void tx(Consumer<CompositeEntityManager> work) {
            Transactions.inTransaction(emf.createEntityManager(), work);
        }

        <R> R read(Function<CompositeEntityManager, R> work) {
            try (CompositeEntityManager em = emf.createEntityManager()) {
                return work.apply(em);
            }
        }

        /** @return the log rows of an entity row, oldest first */
        List<SyncLogEntity> log(String entity, Object id) {
            return read(em -> em.createQuery("select c from SyncLogEntity c where c.entityName = :e and c.entityId = :id"
                    + " order by c.id", SyncLogEntity.class).setParameter("e", entity).setParameter("id", String.valueOf(id))
                    .getResultList());
        }

        /** @return the newest log row of an entity row */
        SyncLogEntity last(String entity, Object id) {
            List<SyncLogEntity> rows = log(entity, id);
            return rows.get(rows.size() - 1);
        }

        long logCount(ChangeStatus status) {
            return read(em -> em.createQuery("select count(c) from SyncLogEntity c where c.status = :s", Long.class)
                    .setParameter("s", status).getSingleResult());
        }

        List<Map<String, Object>> local(String sql, Object... params) {
            return SqliteFiles.rows(localUrl, sql, params);
        }

        @Override
        public void close() {
            emf.close();
        }
    }

    /**
     * @param ddl {@code create} for the first unit of the schema, {@code update} for a second one
     * @param properties more settings
     * @param resolver a conflict resolver, or null
     */
    Unit open(String ddl, Map<String, ?> properties, ConflictResolver resolver) {
        try {
            String localUrl = SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-conflict"), "local.db");
            CompositePersistence.Builder builder = CompositePersistence.builder()
                    .name("conflict" + units.size())
                    .local(localUrl)
                    .remote(pair.remoteUrl(schema), pair.remoteUser(), pair.remotePassword())
                    .entities(Memo.class, Account.class, Ticket.class, Entry.class, Price.class, Remark.class)
                    .syncEnabled(false)
                    .property("hibernate.hbm2ddl.auto", ddl)
                    .property("dbcomposite.local.hibernate.hbm2ddl.auto", "create");
            properties.forEach(builder::property);
            if (resolver != null) {
                builder.conflictResolver(resolver);
            }
            Unit unit = new Unit(localUrl, builder.build());
            units.add(unit);
            return unit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Unit open(String onConflict) {
        return open(units.isEmpty() ? "create" : "update", Map.of("dbcomposite.defaults.onConflict", onConflict), null);
    }

    List<Map<String, Object>> remote(String sql, Object... params) {
        return pair.remoteRows(schema, sql, params);
    }

    int remoteUpdate(String sql, Object... params) {
        return pair.remoteUpdate(schema, sql, params);
    }

    @Override
    public void close() {
        for (Unit u : units) {
            try {
                u.close();
            } catch (RuntimeException ignored) {
                // the schema goes anyway
            }
        }
        pair.dropRemote(schema);
    }
}
