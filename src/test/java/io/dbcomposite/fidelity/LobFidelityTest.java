package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.fidelity.LobHolders.LobDualFail;
import io.dbcomposite.fidelity.LobHolders.LobDualQueue;
import io.dbcomposite.fidelity.LobHolders.LobHolder;
import io.dbcomposite.fidelity.LobHolders.LobLocal;
import io.dbcomposite.internal.boot.SqliteLobTypes;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11: every LOB mapping Hibernate has ({@code @Lob byte[]}, {@code @Lob String}, {@code @Lob char[]},
 * {@code Blob}, {@code Clob}, a lazy {@code @Lob byte[]}) round-trips exactly on the SQLite local side and to
 * PostgreSQL and back, for a large (1 MB), a small, an empty and a null value, written locally with a background
 * sync, DUAL with FAIL and DUAL with QUEUE: read back locally by find and by query, compared on both sides over
 * JDBC, and read back from the remote through Hibernate. The SQLite driver has no {@code getBlob}/{@code getClob},
 * which Hibernate's default LOB extraction calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LobFidelityTest {

    private static final AtomicLong IDS = new AtomicLong();

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("LobFidelity", LobLocal.class, LobDualFail.class, LobDualQueue.class);
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    /** A value of each size: its bytes, and a text of about that many characters (some outside Latin-1). */
    record Value(String name, byte[] bytes, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Random random = new Random(11);
        byte[] large = new byte[1024 * 1024];
        random.nextBytes(large);
        StringBuilder largeText = new StringBuilder();
        while (largeText.length() < 1024 * 1024) {
            largeText.append("line ").append(largeText.length()).append(" äöü € 漢字 ").append('\n');
        }
        List<Value> values = List.of(
                new Value("small", new byte[] {0, 1, (byte) 0xff, 0x7f, (byte) 0x80}, "small ä € 漢 'quoted' \"x\""),
                new Value("large", large, largeText.toString()),
                new Value("empty", new byte[0], ""),
                new Value("null", null, null));
        List<Function<Long, LobHolder>> kinds = List.of(id -> init(new LobLocal(), id), id -> init(new LobDualFail(), id),
                id -> init(new LobDualQueue(), id));
        List<Arguments> all = new ArrayList<>();
        for (Function<Long, LobHolder> kind : kinds) {
            String routing = kind.apply(0L).getClass().getSimpleName();
            for (Value value : values) {
                all.add(Arguments.of(routing, value, kind));
            }
        }
        return all.stream();
    }

    private static LobHolder init(LobHolder holder, long id) {
        holder.setId(id);
        return holder;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void every_lob_kind_round_trips_locally_and_through_the_remote(String routing, Value value,
                                                                   Function<Long, LobHolder> kind) throws SQLException {
        long id = IDS.incrementAndGet();
        LobHolder written = kind.apply(id);
        Class<? extends LobHolder> type = written.getClass();
        Blob blob = value.bytes() == null ? null : new SerialBlob(value.bytes());
        Clob clob = value.text() == null ? null : new SerialClob(value.text().toCharArray());
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            written.setBytes(value.bytes());
            written.setText(value.text());
            written.setChars(value.text() == null ? null : value.text().toCharArray());
            written.setBlob(blob);
            written.setClob(clob);
            written.setLazyBytes(value.bytes());
            written.setNtext(value.text());
            written.setNote(note(value));
            em.persist(written);
        });

        // read back locally: by find and by query, each in a fresh persistence context
        Transactions.inTransaction(emf.createEntityManager(), em -> assertHolds(em.find(type, id), value));
        Transactions.inTransaction(emf.createEntityManager(), em -> assertHolds(em.createQuery(
                "select h from " + routing + " h where h.id = :id", type).setParameter("id", id).getSingleResult(), value));

        assertThat(emf.sync().failed()).isZero();

        // both sides' columns over JDBC, byte for byte
        String table = table(routing);
        Map<String, Object> local = SqliteFiles.rows(unit.localUrl, "select bytes, text, chars, blob, clob, lazyBytes as lazy_bytes, ntext, note from "
                + table + " where id = ?", id).get(0);
        Map<String, Object> remote = PostgresTestDatabase.rows(unit.schema, "select " + remoteColumns(table)
                + " from " + table + " where id = ?", id).get(0);
        for (Map<String, Object> row : List.of(local, remote)) {
            assertThat(asBytes(row.get("bytes"))).as("bytes").isEqualTo(value.bytes());
            assertThat(asBytes(row.get("blob"))).as("blob").isEqualTo(value.bytes());
            assertThat(asBytes(row.get("lazy_bytes"))).as("lazy_bytes").isEqualTo(value.bytes());
            assertThat(asText(row.get("text"))).as("text").isEqualTo(value.text());
            assertThat(asText(row.get("chars"))).as("chars").isEqualTo(value.text());
            assertThat(asText(row.get("clob"))).as("clob").isEqualTo(value.text());
            assertThat(asText(row.get("ntext"))).as("ntext").isEqualTo(value.text());
        }
        // the serialized form is Java's: the same bytes on both sides
        assertThat(asBytes(local.get("note"))).as("note").isEqualTo(asBytes(remote.get("note")));
        assertThat(local.get("note") == null).isEqualTo(value.bytes() == null);

        // and from the remote through Hibernate
        try (Session remoteSession = emf.remoteFactory().openSession()) {
            remoteSession.beginTransaction(); // PostgreSQL reads large objects only in a transaction
            assertHolds(remoteSession.find(type, id), value);
            remoteSession.getTransaction().commit();
        }
    }

    /** The application's own setting wins: turned off for the local side, SQLite cannot read a LOB back again. */
    @Test
    void the_applications_setting_turns_it_off() {
        String schema = PostgresTestDatabase.createSchema("LobFidelityOff");
        try (CompositeEntityManagerFactory off = CompositePersistence.builder()
                .name("LobFidelityOff")
                .local(SqliteFiles.urlIn(Files.createTempDirectory("dbcomposite-LobFidelityOff"), "local.db"))
                .remote(PostgresTestDatabase.urlFor(schema), PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .entities(LobLocal.class)
                .syncEnabled(false)
                .property("hibernate.hbm2ddl.auto", "create")
                .property(CompositeSettings.LOCAL_HIBERNATE_PREFIX + SqliteLobTypes.SETTING.substring("hibernate.".length()), "false")
                .build()) {
            LobLocal written = new LobLocal();
            written.setId(1L);
            written.setBytes(new byte[] {1, 2, 3});
            Transactions.inTransaction(off.createEntityManager(), em -> em.persist(written));
            assertThatThrownBy(() -> Transactions.inTransaction(off.createEntityManager(), em -> em.find(LobLocal.class, 1L)))
                    .hasStackTraceContaining("not implemented by SQLite JDBC driver");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }


    /** The serializable value of a case: null for the null case, else the case's text and bytes. */
    private static LobHolders.Note note(Value value) {
        return value.bytes() == null ? null : new LobHolders.Note(value.text(), value.bytes());
    }

    private static String table(String routing) {
        return routing.toLowerCase(); // the default naming keeps the entity name; PostgreSQL folds it
    }

    /** A large-object column ({@code oid}) is read through {@code lo_get}, a text one as it is. */
    private String remoteColumns(String table) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, Object> column : PostgresTestDatabase.rows(unit.schema, "select column_name, udt_name from"
                + " information_schema.columns where table_schema = current_schema() and table_name = ?", table)) {
            types.put((String) column.get("column_name"), (String) column.get("udt_name"));
        }
        List<String> select = new ArrayList<>();
        for (String column : List.of("bytes", "text", "chars", "blob", "clob", "lazybytes", "ntext", "note")) {
            boolean textual = column.equals("text") || column.equals("chars") || column.equals("clob") || column.equals("ntext");
            String expression = !"oid".equals(types.get(column)) ? column
                    : textual ? "convert_from(lo_get(" + column + "), 'UTF8')" : "lo_get(" + column + ")";
            select.add(expression + " as " + (column.equals("lazybytes") ? "lazy_bytes" : column));
        }
        return String.join(", ", select);
    }

    private static byte[] asBytes(Object column) {
        return (byte[]) column;
    }

    private static String asText(Object column) {
        return (String) column;
    }

    private static void assertHolds(LobHolder read, Value value) {
        try {
            assertThat(read).isNotNull();
            assertThat(read.getBytes()).as("@Lob byte[]").isEqualTo(value.bytes());
            assertThat(read.getLazyBytes()).as("lazy @Lob byte[]").isEqualTo(value.bytes());
            assertThat(read.getNtext()).as("@Nationalized @Lob String").isEqualTo(value.text());
            assertThat(read.getNote()).as("@Lob Serializable").isEqualTo(note(value));
            assertThat(read.getText()).as("@Lob String").isEqualTo(value.text());
            assertThat(read.getChars() == null ? null : new String(read.getChars())).as("@Lob char[]").isEqualTo(value.text());
            Blob blob = read.getBlob();
            assertThat(blob == null ? null : blob.getBytes(1, (int) blob.length())).as("Blob").isEqualTo(value.bytes());
            Clob clob = read.getClob();
            assertThat(clob == null ? null : clob.getSubString(1, (int) clob.length())).as("Clob").isEqualTo(value.text());
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
