package io.dbcomposite.internal.apply;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.CompositeSettings;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.PostgresTestDatabase;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay run moves a remote sequence or generator row (SEQUENCE, TABLE and AUTO ids) once, not once per batch
 * ({@link IdentityCatchUp.Run}, {@link GeneratorCatchUp}): the first batch with inserts moves it past the block of the
 * highest id of its tables on the remote and on the local side (the look-ahead), later batches whose ids stay under that
 * send nothing, a batch with a higher id is caught up again, and a generator set back during the run is past every
 * replayed id when the run ends. A look-ahead past a PostgreSQL sequence's maximum falls back to the batch's own ids.
 * Checked on the generators themselves, and through whole units on PostgreSQL and MariaDB whose replay takes many
 * batches.
 */
class GeneratorCatchUpRunTest {

    /** Allocation size 1: no optimizer, the sequence's value is the id. */
    @Entity(name = "GcrPlain")
    @Table(name = "gcr_plain")
    public static class Plain {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcr_plain")
        @SequenceGenerator(name = "gcr_plain", sequenceName = "gcr_plain_seq", allocationSize = 1)
        Long id;
        String name;

        public Plain() {
        }

        Plain(String name) {
            this.name = name;
        }
    }

    /**
     * Shares the sequence of {@link Plain} under a generator name of its own: one generator, two tables. Written on the
     * remote only, so the remote numbers it.
     */
    @Entity(name = "GcrSibling")
    @Table(name = "gcr_sibling")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Sibling {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcr_sibling")
        @SequenceGenerator(name = "gcr_sibling", sequenceName = "gcr_plain_seq", allocationSize = 1)
        Long id;
        String name;

        public Sibling() {
        }

        Sibling(String name) {
            this.name = name;
        }
    }

    /** A pooled sequence: the local side takes blocks of 20. */
    @Entity(name = "GcrPooled")
    @Table(name = "gcr_pooled")
    public static class Pooled {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcr_pooled")
        @SequenceGenerator(name = "gcr_pooled", sequenceName = "gcr_pooled_seq", allocationSize = 20)
        Integer id;
        String name;

        public Pooled() {
        }

        Pooled(String name) {
            this.name = name;
        }
    }

    /** The rows of {@link Pooled} as the remote numbers them, from the same sequence. */
    @Entity(name = "GcrRemotePooled")
    @Table(name = "gcr_pooled")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class RemotePooled {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcr_remote_pooled")
        @SequenceGenerator(name = "gcr_remote_pooled", sequenceName = "gcr_pooled_seq", allocationSize = 20)
        Integer id;
        String name;

        public RemotePooled() {
        }

        RemotePooled(String name) {
            this.name = name;
        }
    }

    /** A row of a generator table, in blocks of 10. */
    @Entity(name = "GcrTabled")
    @Table(name = "gcr_tabled")
    public static class Tabled {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "gcr_tabled")
        @TableGenerator(name = "gcr_tabled", table = "gcr_ids", pkColumnValue = "tabled", allocationSize = 10)
        Long id;
        String name;

        public Tabled() {
        }

        Tabled(String name) {
            this.name = name;
        }
    }

    /** The rows of {@link Tabled} as the remote numbers them, from the same generator row. */
    @Entity(name = "GcrRemoteTabled")
    @Table(name = "gcr_tabled")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    public static class RemoteTabled {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "gcr_remote_tabled")
        @TableGenerator(name = "gcr_remote_tabled", table = "gcr_ids", pkColumnValue = "tabled", allocationSize = 10)
        Long id;
        String name;

        public RemoteTabled() {
        }

        RemoteTabled(String name) {
            this.name = name;
        }
    }

    /** A plain {@code @GeneratedValue}: a sequence of its own, in blocks of 50. */
    @Entity(name = "GcrAuto")
    @Table(name = "gcr_auto")
    public static class Auto {
        @Id
        @GeneratedValue
        Long id;
        String name;

        public Auto() {
        }

        Auto(String name) {
            this.name = name;
        }
    }

    /** A table-per-class hierarchy numbered from one sequence: no root table, each subclass a table of its own. */
    @Entity(name = "GcrShape")
    @jakarta.persistence.Inheritance(strategy = jakarta.persistence.InheritanceType.TABLE_PER_CLASS)
    public abstract static class Shape {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcr_shape")
        @SequenceGenerator(name = "gcr_shape", sequenceName = "gcr_shape_seq", allocationSize = 5)
        Long id;
        String name;
    }

    @Entity(name = "GcrCircle")
    @Table(name = "gcr_circle")
    public static class Circle extends Shape {
        Double radius;
    }

    @Entity(name = "GcrSquare")
    @Table(name = "gcr_square")
    public static class Square extends Shape {
        Double side;
    }

    /**
     * One sequence for every entity of an application, declared once on a mapped superclass (a common layout of
     * generated applications): each entity its own table, all numbered from {@code gcr_shared_seq}.
     */
    @jakarta.persistence.MappedSuperclass
    public abstract static class Numbered {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gcrSharedGenerator")
        @SequenceGenerator(name = "gcrSharedGenerator", sequenceName = "gcr_shared_seq", allocationSize = 50)
        Long id;
        String name;
    }

    @Entity(name = "GcrAuthor")
    @Table(name = "gcr_author")
    public static class Author extends Numbered {
    }

    @Entity(name = "GcrBook")
    @Table(name = "gcr_book")
    public static class Book extends Numbered {
        @jakarta.persistence.ManyToOne
        Author author;
    }

    @Entity(name = "GcrReview")
    @Table(name = "gcr_review")
    public static class Review extends Numbered {
        @jakarta.persistence.ManyToOne
        Book book;
    }

    private static final Class<?>[] ALL = {Plain.class, Sibling.class, Pooled.class, RemotePooled.class, Tabled.class, RemoteTabled.class,
            Auto.class};

    private static String schema;
    private static EntityManagerFactory emf;
    private static SessionFactoryImplementor factory;

    @BeforeAll
    static void start() {
        schema = PostgresTestDatabase.createSchema("GeneratorCatchUpRunTest");
        HibernatePersistenceConfiguration configuration = new HibernatePersistenceConfiguration("generator-catch-up-run")
                .jdbcUrl(PostgresTestDatabase.urlFor(schema))
                .jdbcCredentials(PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "create");
        for (Class<?> type : ALL) {
            configuration.managedClass(type);
        }
        emf = configuration.createEntityManagerFactory();
        factory = emf.unwrap(SessionFactory.class).unwrap(SessionFactoryImplementor.class);
    }

    @AfterAll
    static void stop() {
        if (emf != null) {
            emf.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @BeforeEach
    void empty() {
        PostgresTestDatabase.update(schema, "truncate gcr_plain, gcr_sibling, gcr_pooled, gcr_tabled, gcr_ids");
        PostgresTestDatabase.update(schema, "alter sequence gcr_plain_seq restart with 1");
        PostgresTestDatabase.update(schema, "alter sequence gcr_pooled_seq restart with 1");
    }

    @Test
    void a_run_moves_a_sequence_past_the_local_top_once_and_again_only_for_higher_ids() {
        AtomicInteger lookedAhead = new AtomicInteger();
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> {
            lookedAhead.incrementAndGet();
            return root.getTableName().equals("gcr_plain") ? 7L : null;
        });

        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, "gcr_plain", Plain.class, 1, 3);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(lastValue("gcr_plain_seq")).isEqualTo(7); // its next value 8: past the local top, not only past 3
        assertThat(lookedAhead).hasValue(2); // both tables the sequence numbers, though the batch wrote one

        batch(run, "gcr_plain", Plain.class, 4, 6);
        batch(run, "gcr_sibling", Sibling.class, 5, 5); // the other table of the same sequence, under what it reached
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);

        batch(run, "gcr_sibling", Sibling.class, 9, 9); // past what the run looked ahead to
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
        assertThat(lastValue("gcr_plain_seq")).isEqualTo(9);

        setSequence("gcr_plain_seq", 2); // set back: the run's end moves it past the skipped batches' ids again
        inSession(s -> IdentityCatchUp.afterRun(s, run));
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(3);
        assertThat(nextval("gcr_plain_seq")).isEqualTo(10);
    }

    @Test
    void the_look_ahead_covers_every_table_of_a_shared_sequence_before_a_batch_writes_it() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> root.getTableName().equals("gcr_plain") ? 7L : 12L);
        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, "gcr_plain", Plain.class, 1, 3);
        assertThat(lastValue("gcr_plain_seq")).isEqualTo(12); // the other table's local top
        batch(run, "gcr_sibling", Sibling.class, 8, 12);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
    }

    @Test
    void a_batch_rolled_back_after_its_catch_up_is_caught_up_again_when_tried_again() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 25L);
        try (StatelessSession s = factory.openStatelessSession()) {
            s.getTransaction().begin();
            for (long id = 1; id <= 3; id++) {
                s.createNativeMutationQuery("insert into gcr_tabled (id, name) values (:id, 'r')").setParameter("id", id)
                        .executeUpdate();
            }
            IdentityCatchUp.afterInserts(s, Map.of(Tabled.class.getName(), 3L), run);
            run.rolledBack(); // as the replay does when the batch's commit, or anything after the catch-up, fails
            s.getTransaction().rollback(); // and the generator row's move with it
        }
        assertThat(PostgresTestDatabase.rows(schema, "select next_val from gcr_ids")).as("the row's insert rolled back")
                .isEmpty();

        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, "gcr_tabled", Tabled.class, 1, 3); // the same batch tried again, with the same run
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(tableValue()).isEqualTo(40); // as the first try would have left it
        batch(run, "gcr_tabled", Tabled.class, 4, 12);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
    }

    @Test
    void a_pooled_sequence_is_moved_past_the_block_of_the_local_top() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 45L);
        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, "gcr_pooled", Pooled.class, 1, 3);
        batch(run, "gcr_pooled", Pooled.class, 4, 40);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        // blocks of 20 end at 1, 21, 41, 61: 45 is in the block (41, 61], so the remote's next block ends at 81
        assertThat(nextval("gcr_pooled_seq")).isEqualTo(81);
    }

    @Test
    void a_generator_row_set_back_during_the_run_is_past_every_replayed_id_when_the_run_ends() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 25L);
        batch(run, "gcr_tabled", Tabled.class, 1, 3);
        // blocks of 10 from the initial value 1 end at 1, 11, 21, 31: 25 is in (21, 31], the remote's next block is
        // (31, 41], and the row holds the last value handed out before it
        assertThat(tableValue()).isEqualTo(40);
        PostgresTestDatabase.update(schema, "update gcr_ids set next_val = 1 where sequence_name = 'tabled'");

        long before = IdentityCatchUp.CATCH_UPS.sum();
        batch(run, "gcr_tabled", Tabled.class, 4, 12);
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isZero(); // 12 <= 25: the batch asks nothing
        assertThat(run.skippedAny()).isTrue();

        inSession(s -> IdentityCatchUp.afterRun(s, run));
        assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
        assertThat(tableValue()).isEqualTo(30); // past the block (11, 21] of 12, the highest id the run wrote
        assertThat(run.skippedAny()).isFalse();
    }

    @Test
    void a_look_ahead_past_the_sequence_maximum_leaves_the_batch_own_ids_and_fails_nothing() {
        PostgresTestDatabase.update(schema, "alter sequence gcr_plain_seq maxvalue 100");
        try {
            AtomicInteger lookedAhead = new AtomicInteger();
            IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> {
                lookedAhead.incrementAndGet();
                return 5_000L;
            });
            batch(run, "gcr_plain", Plain.class, 1, 3);
            assertThat(lastValue("gcr_plain_seq")).isEqualTo(3);
            long before = IdentityCatchUp.CATCH_UPS.sum();
            int read = lookedAhead.get();
            batch(run, "gcr_plain", Plain.class, 4, 6); // past what the first batch reached: asked again
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(1);
            assertThat(lastValue("gcr_plain_seq")).isEqualTo(6);
            assertThat(lookedAhead).as("the local side is not read again for a look-ahead the sequence cannot take")
                    .hasValue(read);
        } finally {
            PostgresTestDatabase.update(schema, "alter sequence gcr_plain_seq no maxvalue");
        }
    }

    @Test
    void a_look_ahead_past_a_mariadb_sequence_maximum_leaves_the_batch_own_ids() {
        DatabasePair mariadb = DatabasePair.SQLITE_MARIADB;
        String mariaSchema = mariadb.createRemote("GeneratorCatchUpRunMaria");
        try (EntityManagerFactory maria = new HibernatePersistenceConfiguration("generator-catch-up-run-maria")
                .managedClasses(Plain.class, Sibling.class)
                .jdbcUrl(mariadb.remoteUrl(mariaSchema))
                .jdbcCredentials(mariadb.remoteUser(), mariadb.remotePassword())
                .property("hibernate.hbm2ddl.auto", "create")
                .createEntityManagerFactory()) {
            // a cycling sequence: a value past its maximum would make its next value the first one, a replayed id
            mariadb.remoteUpdate(mariaSchema, "alter sequence gcr_plain_seq maxvalue 100 cycle");
            IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> 5_000L);
            try (StatelessSession s = maria.unwrap(SessionFactory.class).openStatelessSession()) {
                s.getTransaction().begin();
                for (long id = 1; id <= 3; id++) {
                    s.createNativeMutationQuery("insert into gcr_plain (id, name) values (:id, 'r')").setParameter("id", id)
                            .executeUpdate();
                }
                IdentityCatchUp.afterInserts(s, Map.of(Plain.class.getName(), 3L), run);
                s.getTransaction().commit();
                run.committed();
            }
            assertThat(((Number) mariadb.remoteRows(mariaSchema, "select nextval(gcr_plain_seq) as v").get(0).get("v"))
                    .longValue()).isEqualTo(4);
        } finally {
            mariadb.dropRemote(mariaSchema);
        }
    }

    @Test
    void a_look_ahead_that_cannot_be_read_leaves_the_batch_own_ids_and_never_moves_a_generator_back() {
        IdentityCatchUp.Run run = new IdentityCatchUp.Run(root -> {
            throw new IllegalStateException("no local side to read");
        });
        batch(run, "gcr_plain", Plain.class, 1, 5);
        assertThat(lastValue("gcr_plain_seq")).isEqualTo(5);
        setSequence("gcr_plain_seq", 50);
        batch(new IdentityCatchUp.Run(root -> 2L), "gcr_plain", Plain.class, 6, 6);
        assertThat(lastValue("gcr_plain_seq")).isEqualTo(50);
    }

    /** The remotes whose sequences and generator tables a run moves. */
    enum Remote {
        POSTGRESQL(DatabasePair.SQLITE_POSTGRESQL, "nextval('gcr_plain_seq')", "nextval('gcr_auto_SEQ')"),
        MARIADB(DatabasePair.SQLITE_MARIADB, "nextval(gcr_plain_seq)", "nextval(gcr_auto_SEQ)");

        final DatabasePair pair;
        final String plainNext;
        final String autoNext;

        Remote(DatabasePair pair, String plainNext, String autoNext) {
            this.pair = pair;
            this.plainNext = plainNext;
            this.autoNext = autoNext;
        }
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void a_replay_of_many_batches_moves_each_generator_once_and_the_remote_numbers_past_every_replayed_id(Remote remote) {
        try (StandaloneUnit unit = StandaloneUnit.start(remote.pair, "GeneratorCatchUpRun" + remote.ordinal(), null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2"), ALL)) {
            List<Long> plain = new ArrayList<>();
            List<Long> tabled = new ArrayList<>();
            List<Long> auto = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                Plain p = new Plain("p" + i);
                Tabled t = new Tabled("t" + i);
                Auto a = new Auto("a" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    em.persist(p);
                    em.persist(t);
                    em.persist(a);
                });
                plain.add(p.id);
                tabled.add(t.id);
                auto.add(a.id);
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().applied()).isEqualTo(27); // five batches of at most two transactions
            // the first batch's of each of the three generators, and each one's check when the run ends
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(6);
            assertThat(unit.remote("select count(*) from gcr_plain") + unit.remote("select count(*) from gcr_tabled")
                    + unit.remote("select count(*) from gcr_auto")).isEqualTo(27);

            // the remote's own next ids are past every replayed one
            assertThat(unit.remote("select " + remote.plainNext)).isGreaterThan(Collections.max(plain));
            assertThat(unit.remote("select " + remote.autoNext)).isGreaterThan(Collections.max(auto));
            Sibling sibling = new Sibling("numbered by the remote");
            RemoteTabled numbered = new RemoteTabled("numbered by the remote");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                em.persist(sibling);
                em.persist(numbered);
            });
            assertThat(sibling.id).isGreaterThan(Collections.max(plain));
            assertThat(numbered.id).isGreaterThan(Collections.max(tabled));

            // the highest rows inserted and deleted again before the next replay: the local top no longer covers
            // the ids the log replays, so the batches that carry them are caught up on their own
            List<Long> more = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Plain p = new Plain("q" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(p));
                more.add(p.id);
            }
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                for (Long id : more.subList(3, 6)) {
                    em.remove(em.find(Plain.class, id));
                }
            });
            before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().failed()).isZero();
            // the first batch looks ahead to the third new row; the two batches past it are caught up on their own,
            // and no batch skipped, so the run's end sends nothing
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(3);
            assertThat(unit.remote("select count(*) from gcr_plain")).isEqualTo(12);
            assertThat(unit.remote("select " + remote.plainNext)).isGreaterThan(more.get(5));
        }
    }

    /** The optimizers a pooled sequence can read its value with: as the high end of a block, or as its low end. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"pooled", "pooled-lo"})
    void a_pooled_sequence_replayed_in_many_batches_is_moved_once_past_the_block_the_local_side_is_in(String optimizer) {
        try (StandaloneUnit unit = StandaloneUnit.start("GeneratorCatchUpRunPooled", null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2", "hibernate.id.optimizer.pooled.preferred", optimizer),
                Pooled.class, RemotePooled.class)) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                Pooled p = new Pooled("p" + i);
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(p));
                ids.add(p.id);
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().applied()).isEqualTo(9);
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);

            // numbered by the remote from the same sequence, and then the local side numbering on in its block
            RemotePooled remote = new RemotePooled("numbered by the remote");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(remote));
            assertThat(remote.id).isGreaterThan(Collections.max(ids));
            Pooled later = new Pooled("later");
            Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(later));
            assertThat(unit.emf.sync().failed()).isZero();
            assertThat(later.id).isNotEqualTo(remote.id);
            assertThat(unit.remote("select count(*) from gcr_pooled")).isEqualTo(11);
        }
    }

    @Test
    void one_sequence_shared_by_every_entity_is_moved_once_a_run_past_the_ids_of_all_its_tables() {
        try (StandaloneUnit unit = StandaloneUnit.start("GeneratorCatchUpRunShared", null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2"), Author.class, Book.class, Review.class)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Author author = new Author();
                author.name = "author-" + i;
                Book book = new Book();
                book.name = "book-" + i;
                book.author = author;
                Review review = new Review();
                review.name = "review-" + i;
                review.book = book;
                // the batches carry the tables in turns: the first batch writes no review, the last holds the highest id
                boolean withReview = i % 3 == 2;
                boolean withBook = withReview || i % 2 == 1;
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
                    em.persist(author);
                    if (withBook) {
                        em.persist(book);
                    }
                    if (withReview) {
                        em.persist(review);
                    }
                });
                ids.add(author.id);
                if (book.id != null) {
                    ids.add(book.id);
                }
                if (review.id != null) {
                    ids.add(review.id);
                }
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().failed()).isZero();
            // the first batch looks ahead over the three tables, the one it does not write too; every later batch is
            // under it; the run's end checks
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
            assertThat(unit.remote("select count(*) from gcr_author") + unit.remote("select count(*) from gcr_book")
                    + unit.remote("select count(*) from gcr_review")).isEqualTo(ids.size());
            assertThat(unit.remote("select nextval('gcr_shared_seq')")).isGreaterThan(Collections.max(ids));
        }
    }

    @Test
    void a_table_per_class_hierarchy_replayed_in_many_batches_looks_ahead_over_every_subclass_table() {
        try (StandaloneUnit unit = StandaloneUnit.start("GeneratorCatchUpRunTpc", null,
                Map.of(CompositeSettings.SYNC_BATCH_SIZE, "2"), Shape.class, Circle.class, Square.class)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Shape shape = i % 2 == 0 ? new Circle() : new Square();
                shape.name = "shape-" + i;
                Transactions.inTransaction(unit.emf.createEntityManager(), em -> em.persist(shape));
                ids.add(shape.id);
            }
            long before = IdentityCatchUp.CATCH_UPS.sum();
            assertThat(unit.emf.sync().applied()).isEqualTo(8);
            // the local side's highest id is read through the hierarchy's union of tables: one catch-up at the first
            // batch, one when the run ends (batch by batch it would be four)
            assertThat(IdentityCatchUp.CATCH_UPS.sum() - before).isEqualTo(2);
            assertThat(unit.remote("select count(*) from gcr_circle") + unit.remote("select count(*) from gcr_square"))
                    .isEqualTo(8);
            assertThat(unit.remote("select nextval('gcr_shape_seq')")).isGreaterThan(Collections.max(ids));
        }
    }

    /** Inserts rows with the given ids, as a replay batch would, and catches up as the batch's end does. */
    private static void batch(IdentityCatchUp.Run run, String table, Class<?> entity, long first, long last) {
        inSession(s -> {
            for (long id = first; id <= last; id++) {
                s.createNativeMutationQuery("insert into " + table + " (id, name) values (:id, 'r')")
                        .setParameter("id", id).executeUpdate();
            }
            IdentityCatchUp.afterInserts(s, Map.of(entity.getName(), last), run);
        });
        run.committed();
    }

    private static void setSequence(String sequence, long value) {
        PostgresTestDatabase.rows(schema, "select setval('" + sequence + "', ?)", value);
    }

    private static void inSession(java.util.function.Consumer<StatelessSession> work) {
        try (StatelessSession s = factory.openStatelessSession()) {
            s.getTransaction().begin();
            work.accept(s);
            s.getTransaction().commit();
        }
    }

    private static long lastValue(String sequence) {
        return ((Number) PostgresTestDatabase.rows(schema, "select last_value as v from " + sequence).get(0).get("v"))
                .longValue();
    }

    private static long nextval(String sequence) {
        return ((Number) PostgresTestDatabase.rows(schema, "select nextval('" + sequence + "') as v").get(0).get("v"))
                .longValue();
    }

    private static long tableValue() {
        return ((Number) PostgresTestDatabase.rows(schema, "select next_val as v from gcr_ids where sequence_name = 'tabled'")
                .get(0).get("v")).longValue();
    }
}
