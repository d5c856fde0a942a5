package io.dbcomposite.fidelity;

import io.dbcomposite.CompositeEntityManagerFactory;
import io.dbcomposite.fidelity.LobHolders.LobDualFail;
import io.dbcomposite.fidelity.LobHolders.LobDualQueue;
import io.dbcomposite.fidelity.LobHolders.LobHolder;
import io.dbcomposite.fidelity.LobHolders.LobLocal;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Blob} or {@code Clob} made from a stream that can be read once ({@code LobHelper.createBlob(InputStream,
 * long)}, {@code createClob(Reader, long)}) reaches both sides whole: the local insert, the sync log and the DUAL write
 * each need the value, and a stream gives it only once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamLobTest {

    private static final AtomicLong IDS = new AtomicLong();

    private StandaloneUnit unit;
    private CompositeEntityManagerFactory emf;

    @BeforeAll
    void start() {
        unit = StandaloneUnit.start("StreamLob", LobLocal.class, LobDualFail.class, LobDualQueue.class);
        emf = unit.emf;
    }

    @AfterAll
    void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LobLocal", "LobDualFail", "LobDualQueue"})
    void a_lob_from_a_one_shot_stream_is_written_whole_to_both_sides_on_insert_and_update(String routing) throws SQLException {
        long id = IDS.incrementAndGet();
        LobHolder holder = newHolder(routing, id);
        byte[] first = "first bytes \u00e4\u20ac".getBytes(StandardCharsets.UTF_8);
        String firstText = "first text \u00e4 \u20ac \u6f22";
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            holder.setBlob(Hibernate.getLobHelper().createBlob(new ByteArrayInputStream(first), first.length));
            holder.setClob(Hibernate.getLobHelper().createClob(new StringReader(firstText), firstText.length()));
            em.persist(holder);
        });
        assertThat(emf.sync().failed()).isZero();
        assertBothSides(routing, id, first, firstText);

        byte[] second = new byte[70_000];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) (i * 31);
        }
        String secondText = "second ".repeat(10_000);
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            LobHolder found = em.find(holder.getClass(), id);
            found.setBlob(Hibernate.getLobHelper().createBlob(new ByteArrayInputStream(second), second.length));
            found.setClob(Hibernate.getLobHelper().createClob(new StringReader(secondText), secondText.length()));
        });
        assertThat(emf.sync().failed()).isZero();
        assertBothSides(routing, id, second, secondText);
    }

    private void assertBothSides(String routing, long id, byte[] bytes, String text) throws SQLException {
        String table = routing.toLowerCase();
        Map<String, Object> local = SqliteFiles.rows(unit.localUrl, "select blob, clob from " + table + " where id = ?", id).get(0);
        assertThat((byte[]) local.get("blob")).as("local blob").isEqualTo(bytes);
        assertThat((String) local.get("clob")).as("local clob").isEqualTo(text);
        Map<String, Object> remote = PostgresTestDatabase.rows(unit.schema, "select lo_get(blob) as blob,"
                + " convert_from(lo_get(clob), 'UTF8') as clob from " + table + " where id = ?", id).get(0);
        assertThat((byte[]) remote.get("blob")).as("remote blob").isEqualTo(bytes);
        assertThat((String) remote.get("clob")).as("remote clob").isEqualTo(text);
        Transactions.inTransaction(emf.createEntityManager(), em -> {
            LobHolder read = em.find(holderClass(routing), id);
            try {
                assertThat(read.getBlob().getBytes(1, (int) read.getBlob().length())).isEqualTo(bytes);
                assertThat(read.getClob().getSubString(1, (int) read.getClob().length())).isEqualTo(text);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        try (Session remoteSession = emf.remoteFactory().openSession()) {
            remoteSession.beginTransaction();
            LobHolder read = remoteSession.find(holderClass(routing), id);
            assertThat(read.getBlob().getBytes(1, (int) read.getBlob().length())).isEqualTo(bytes);
            assertThat(read.getClob().getSubString(1, (int) read.getClob().length())).isEqualTo(text);
            remoteSession.getTransaction().commit();
        }
    }

    private static Class<? extends LobHolder> holderClass(String routing) {
        return switch (routing) {
            case "LobLocal" -> LobLocal.class;
            case "LobDualFail" -> LobDualFail.class;
            default -> LobDualQueue.class;
        };
    }

    private static LobHolder newHolder(String routing, long id) {
        LobHolder holder = switch (routing) {
            case "LobLocal" -> new LobLocal();
            case "LobDualFail" -> new LobDualFail();
            default -> new LobDualQueue();
        };
        holder.setId(id);
        return holder;
    }
}
