package io.dbcomposite.limits;

import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 11: a value the remote column cannot hold (too long, too many digits, null in a NOT NULL column) fails the
 * local commit at flush, naming the entity, the property, the id and the limit, with nothing written on either side
 * and nothing in the sync log; a value exactly at the limit commits and replays. SQLite alone would take all of them.
 */
class RemoteLimitsTest {

    private static StandaloneUnit unit;
    private static final AtomicLong IDS = new AtomicLong(100);

    @BeforeAll
    static void start() {
        // Hibernate's own null check is off, as it is by default when Bean Validation is on the class path: a null
        // then reaches the local write, and (in a schema not created by Hibernate) SQLite would take it
        unit = StandaloneUnit.start("RemoteLimits", null, Map.of("hibernate.check_nullability", "false"),
                DefaultLimited.class, DualFailLimited.class, DualQueueLimited.class, Catalogue.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    /** The three routings whose local writes reach the remote. */
    static List<Arguments> routings() {
        return List.of(
                Arguments.of("DefaultLimited", (LongFunction<Limited>) DefaultLimited::new),
                Arguments.of("DualFailLimited", (LongFunction<Limited>) DualFailLimited::new),
                Arguments.of("DualQueueLimited", (LongFunction<Limited>) DualQueueLimited::new));
    }

    /** Each bad value, its property and the limit the message must name. */
    private record Bad(String property, String limit, Consumer<Limited> change) {
    }

    private static final List<Bad> BAD = List.of(
            new Bad("name", "varchar(10)", l -> l.setName("x".repeat(11))),
            new Bad("address.zip", "varchar(5)", l -> l.getAddress().setZip("123456")),
            new Bad("tags", "varchar(4)", l -> l.getTags().add("abcde")),
            new Bad("price", "numeric(5,2)", l -> l.setPrice(new BigDecimal("1000.00"))),
            new Bad("price", "numeric(5,2)", l -> l.setPrice(new BigDecimal("1.234"))),
            new Bad("code", "not null", l -> l.setCode(null)),
            new Bad("address.city", "not null", l -> l.getAddress().setCity(null)));

    static Stream<Arguments> badValues() {
        return routings().stream().flatMap(r -> {
            List<Arguments> out = new ArrayList<>();
            for (int i = 0; i < BAD.size(); i++) {
                out.add(Arguments.of(r.get()[0], r.get()[1], i));
            }
            return out.stream();
        });
    }

    @ParameterizedTest(name = "{0} bad value {2}")
    @MethodSource("badValues")
    void a_value_the_remote_cannot_hold_fails_the_insert_with_nothing_written_or_logged(String entity,
            LongFunction<Limited> make, int which) {
        Bad bad = BAD.get(which);
        long id = IDS.incrementAndGet();
        long logMark = logRows();
        Limited l = make.apply(id);
        l.getTags().add("ok");
        bad.change().accept(l);

        Throwable thrown = catchThrowable(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(l)));

        assertRefused(thrown, entity, bad, id);
        assertNothingOf(entity, id, logMark);
    }

    @ParameterizedTest(name = "{0} bad value {2}")
    @MethodSource("badValues")
    void a_value_the_remote_cannot_hold_fails_the_update_with_nothing_changed_or_logged(String entity,
            LongFunction<Limited> make, int which) {
        Bad bad = BAD.get(which);
        long id = IDS.incrementAndGet();
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(make.apply(id)));
        long logMark = logRows();

        Throwable thrown = catchThrowable(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Limited l = (Limited) em.find(make.apply(0).getClass(), id);
            bad.change().accept(l);
        }));

        assertRefused(thrown, entity, bad, id);
        assertThat(logRows()).as("log rows").isEqualTo(logMark);
        Map<String, Object> local = io.dbcomposite.testing.SqliteFiles.rows(unit.localUrl, "select * from " + entity + " where id = ?", id).get(0);
        assertThat(local.get("name")).isNull();
        assertThat(local.get("price")).isNull();
        assertThat(local.get("code")).isEqualTo("C");
        assertThat(unit.local("select count(*) from " + entity + "_tags where " + entity + "_id = ?", id)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routings")
    void an_explicit_flush_throws_it_and_marks_the_transaction_for_rollback(String entity, LongFunction<Limited> make) {
        long id = IDS.incrementAndGet();
        Limited l = make.apply(id);
        l.setName("y".repeat(300));
        long logMark = logRows();
        jakarta.persistence.EntityManager em = unit.emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(l);
            Throwable thrown = catchThrowable(em::flush);
            assertThat(thrown).isInstanceOf(RemoteLimitException.class)
                    .hasMessageContaining(entity + ".name (id " + id + "): 300 characters, more than 10")
                    .hasMessageContaining("varchar(10)");
            assertThat(em.getTransaction().getRollbackOnly()).isTrue();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        assertNothingOf(entity, id, logMark);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routings")
    void values_exactly_at_the_limit_commit_and_replay(String entity, LongFunction<Limited> make) {
        long id = IDS.incrementAndGet();
        Limited l = make.apply(id);
        l.setName("x".repeat(10));
        l.setCode("c".repeat(8));
        l.setPrice(new BigDecimal("-999.99"));
        l.getAddress().setZip("12345");
        l.getTags().add("abcd");
        l.getTags().add("ab\uD83D\uDE00c"); // four characters, five UTF-16 units: PostgreSQL counts characters
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(l));

        assertThat(unit.emf.sync().failed()).isZero();

        Map<String, Object> remote = io.dbcomposite.testing.PostgresTestDatabase.rows(unit.schema,
                "select name, code, price::text as price, zip from " + entity + " where id = ?", id).get(0);
        assertThat(remote).containsEntry("name", "x".repeat(10)).containsEntry("code", "c".repeat(8))
                .containsEntry("price", "-999.99").containsEntry("zip", "12345");
        assertThat(unit.remote("select count(*) from " + entity + "_tags where " + entity + "_id = ?", id)).isEqualTo(2);
    }

    /** Map keys, map values and the columns of embeddable elements have their limits too. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "titles.key, varchar(3), lang", "titles, varchar(6), title", "lines.sku, varchar(4), sku"})
    void map_keys_values_and_embeddable_elements_are_held_to_their_columns(String property, String limit, String which) {
        long id = IDS.incrementAndGet();
        long logMark = logRows();
        Catalogue c = new Catalogue(id);
        c.getTitles().put(which.equals("lang") ? "fren" : "fr", which.equals("title") ? "Le Titre" : "Titre");
        c.getLines().add(new Catalogue.Line(which.equals("sku") ? "A-1234" : "A-1"));

        Throwable thrown = catchThrowable(() -> Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(c)));

        assertRefused(thrown, "Catalogue", new Bad(property, limit, x -> { }), id);
        assertThat(unit.local("select count(*) from Catalogue where id = ?", id)).isZero();
        assertThat(unit.local("select count(*) from Catalogue_titles")).isZero();
        assertThat(unit.local("select count(*) from Catalogue_lines")).isZero();
        assertThat(logRows()).isEqualTo(logMark);

        Catalogue ok = new Catalogue(IDS.incrementAndGet());
        ok.getTitles().put("fra", "Titre!");
        ok.getLines().add(new Catalogue.Line("A-12"));
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(ok));
        assertThat(unit.emf.sync().failed()).isZero();
        assertThat(unit.remote("select count(*) from Catalogue_titles where Catalogue_id = ? and lang = 'fra'", ok.getId()))
                .isEqualTo(1);
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.remove(em.find(Catalogue.class, ok.getId())));
        assertThat(unit.emf.sync().failed()).isZero();
    }

    private static void assertRefused(Throwable thrown, String entity, Bad bad, long id) {
        assertThat(thrown).as("the commit fails").isNotNull();
        Throwable t = thrown;
        while (t != null && !(t instanceof RemoteLimitException)) {
            t = t.getCause();
        }
        assertThat(t).as("a RemoteLimitException in %s", thrown).isInstanceOf(RemoteLimitException.class);
        RemoteLimitException e = (RemoteLimitException) t;
        assertThat(e.getMessage()).contains(entity + "." + bad.property()).contains("id " + id).contains(bad.limit());
        assertThat(e.getEntityName()).isEqualTo(entity);
        assertThat(e.getProperty()).isEqualTo(bad.property());
        assertThat(e.getLimit()).contains(bad.limit());
    }

    private static void assertNothingOf(String entity, long id, long logMark) {
        assertThat(unit.local("select count(*) from " + entity + " where id = ?", id)).as("local rows").isZero();
        assertThat(unit.local("select count(*) from " + entity + "_tags where " + entity + "_id = ?", id)).isZero();
        assertThat(unit.remote("select count(*) from " + entity + " where id = ?", id)).as("remote rows").isZero();
        assertThat(unit.remote("select count(*) from " + entity + "_tags where " + entity + "_id = ?", id)).isZero();
        assertThat(logRows()).as("log rows").isEqualTo(logMark);
    }

    private static long logRows() {
        return unit.local("select count(*) from dbc_sync_log");
    }
}
