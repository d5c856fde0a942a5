package io.dbcomposite.constraints;

import io.dbcomposite.RemoteLimitException;
import io.dbcomposite.constraints.Shelves.Archive;
import io.dbcomposite.constraints.Shelves.BgShelf;
import io.dbcomposite.constraints.Shelves.BookBase;
import io.dbcomposite.constraints.Shelves.LoShelf;
import io.dbcomposite.constraints.Shelves.Note;
import io.dbcomposite.constraints.Shelves.ShelfBase;
import io.dbcomposite.constraints.Shelves.Topic;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.ConstraintViolationException.ConstraintKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 11: the local SQLite side enforces the mapping's foreign keys and unique keys as the remote does. A dangling
 * reference, a delete of a referenced row or a duplicate fails the caller's flush or commit with Hibernate's
 * {@link ConstraintViolationException} (kind, constraint and entity named), the local transaction rolled back, nothing
 * in the sync log and nothing on the remote; on every routing whose writes are local: the default (BACKGROUND),
 * DUAL+QUEUE, DUAL+FAIL and purely local (sync=NONE). The community dialect alone creates no foreign key and no
 * two-column unique key on SQLite: every refusal here would commit locally and fail at replay (or never).
 */
class LocalConstraintsTest {

    private static final AtomicLong IDS = new AtomicLong(1000);
    private static StandaloneUnit unit;

    @BeforeAll
    static void start() {
        // as with Bean Validation on the class path: Hibernate leaves NOT NULL to the database
        unit = StandaloneUnit.start("LocalConstraints", null, Map.of("hibernate.check_nullability", "false"),
                Shelves.BgShelf.class, Shelves.BgBook.class, Shelves.DqShelf.class, Shelves.DqBook.class,
                Shelves.DfShelf.class, Shelves.DfBook.class, Shelves.LoShelf.class, Shelves.LoBook.class,
                Archive.class, Topic.class, Note.class);
    }

    @AfterAll
    static void stop() {
        if (unit != null) {
            unit.close();
        }
    }

    @Test
    void the_local_tables_declare_the_foreign_and_unique_keys_of_the_mapping_inline() {
        String book = ddl("BgBook");
        assertThat(book).containsIgnoringCase("foreign key (shelf_id) references BgShelf (id)")
                .containsIgnoringCase("constraint uk_bgbook_shelf_title unique (shelf_id, title)");
        String topic = ddl("Topic");
        assertThat(topic).as("a self-reference").containsIgnoringCase("foreign key (parent_id) references Topic (id)");
        assertThat(topic).as("no key to a table whose rows live on the remote only")
                .doesNotContainIgnoringCase("references Archive");
        assertThat(ddl("Topic_BgShelf")).as("a many-to-many join table")
                .containsIgnoringCase("references Topic (id)").containsIgnoringCase("references BgShelf (id)");
        assertThat(ddl("Topic_tags")).as("an element collection").containsIgnoringCase("references Topic (id)");
        assertThat(ddl("Note")).as("@OnDelete").containsIgnoringCase("references Topic (id) on delete cascade");
        assertThat(ddl("dbc_sync_log")).doesNotContainIgnoringCase("foreign key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bg", "Dq", "Df", "Lo"})
    void a_dangling_reference_fails_the_commit_naming_the_key_and_nothing_is_written_or_logged(String kind) {
        long id = IDS.incrementAndGet();
        long mark = logMark();

        Throwable thrown = outcome(em -> {
            BookBase b = book(kind, id, "t");
            b.setShelf(em.getReference(shelfClass(kind), -id));
            em.persist(b);
        });

        assertThat(thrown).isInstanceOf(RollbackException.class);
        ConstraintViolationException v = violation(thrown);
        assertThat(v.getKind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
        assertThat(v.getConstraintName()).as("the key's name").isNotNull().startsWithIgnoringCase("FK");
        assertThat(v.getMessage()).contains(v.getConstraintName()).contains("entity " + kind + "Book")
                .contains("references " + kind + "Shelf(id)");
        assertNothing(kind + "Book", id, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bg", "Dq", "Df", "Lo"})
    void an_explicit_flush_throws_the_violation_and_marks_the_transaction_for_rollback(String kind) {
        long id = IDS.incrementAndGet();
        long mark = logMark();
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            BookBase b = book(kind, id, "t");
            b.setShelf(em.getReference(shelfClass(kind), -id));
            em.persist(b);
            Throwable thrown = catchThrowable(em::flush);
            assertThat(thrown).isInstanceOf(PersistenceException.class).isInstanceOf(ConstraintViolationException.class);
            assertThat(((ConstraintViolationException) thrown).getKind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
            assertThat(em.getTransaction().getRollbackOnly()).isTrue();
            em.getTransaction().rollback();
        }
        assertNothing(kind + "Book", id, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bg", "Dq", "Df", "Lo"})
    void removing_a_referenced_row_fails_the_commit_and_leaves_it_where_it_was(String kind) {
        long id = IDS.incrementAndGet();
        inTransaction(em -> {
            ShelfBase s = shelf(kind, id);
            em.persist(s);
            BookBase b = book(kind, id, "t");
            b.setShelf(s);
            em.persist(b);
        });
        long mark = logMark();
        long remoteShelves = unit.remote("select count(*) from " + kind + "Shelf where id = ?", id);

        Throwable thrown = outcome(em -> em.remove(em.find(shelfClass(kind), id)));

        ConstraintViolationException v = violation(thrown);
        assertThat(v.getKind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
        assertThat(v.getMessage()).contains("still referenced by").contains(kind + "Book");
        assertThat(unit.local("select count(*) from " + kind + "Shelf where id = ?", id)).isEqualTo(1);
        assertThat(unit.remote("select count(*) from " + kind + "Shelf where id = ?", id)).isEqualTo(remoteShelves);
        assertThat(logMark()).as("nothing logged").isEqualTo(mark);

        inTransaction(em -> { // children first, as on PostgreSQL
            em.remove(em.find(bookClass(kind), id));
            em.remove(em.find(shelfClass(kind), id));
        });
        assertThat(unit.local("select count(*) from " + kind + "Shelf where id = ?", id)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bg", "Dq", "Df", "Lo"})
    void a_duplicate_of_a_two_column_unique_key_fails_naming_it(String kind) {
        long id = IDS.incrementAndGet();
        inTransaction(em -> {
            ShelfBase s = shelf(kind, id);
            em.persist(s);
            BookBase b = book(kind, id, "same");
            b.setShelf(s);
            em.persist(b);
        });
        long mark = logMark();

        Throwable thrown = outcome(em -> {
            BookBase b = book(kind, -id, "same");
            b.setShelf(em.find(shelfClass(kind), id));
            em.persist(b);
        });

        ConstraintViolationException v = violation(thrown);
        assertThat(v.getKind()).isEqualTo(ConstraintKind.UNIQUE);
        assertThat(v.getConstraintName()).isEqualToIgnoringCase("uk_" + kind.toLowerCase() + "book_shelf_title");
        assertThat(v.getMessage()).contains("entity " + kind + "Book");
        assertNothing(kind + "Book", -id, mark);
    }

    @Test
    void a_null_in_a_not_null_column_of_a_purely_local_entity_is_refused_by_the_local_table() {
        long id = IDS.incrementAndGet();
        long mark = logMark();

        Throwable thrown = outcome(em -> em.persist(new LoShelf(id, null)));

        ConstraintViolationException v = violation(thrown);
        assertThat(v.getKind()).isEqualTo(ConstraintKind.NOT_NULL);
        assertThat(v.getMessage()).contains("LoShelf.name").contains("entity LoShelf");
        assertThat(unit.local("select count(*) from LoShelf where id = ?", id)).isZero();
        assertThat(logMark()).isEqualTo(mark);

        // an entity whose writes reach the remote is held to the remote's column before any SQL runs
        Throwable held = outcome(em -> em.persist(new BgShelf(id, null)));
        assertThat(held instanceof RemoteLimitException || held.getCause() instanceof RemoteLimitException)
                .as("%s", held).isTrue();
    }

    @Test
    void references_in_any_order_of_persist_self_references_and_database_cascades_commit_and_replay() {
        long id = IDS.incrementAndGet();
        long archive = IDS.incrementAndGet();
        inTransaction(em -> {
            em.persist(new Archive(archive));
            em.persist(new BgShelf(id, "s"));
        });
        long mark = logMark();

        inTransaction(em -> {
            Topic child = new Topic(id + 1);
            Topic parent = new Topic(id);
            child.setParent(parent); // the child is persisted first: Hibernate orders the inserts
            em.persist(child);
            em.persist(parent);
            parent.getShelves().add(em.find(BgShelf.class, id));
            parent.getTags().add("x");
            parent.setArchive(em.getReference(Archive.class, archive)); // its row is on the remote only
            new Note(id, parent);
        });
        assertSynced();
        assertThat(unit.remote("select count(*) from Topic where id in (?, ?)", id, id + 1)).isEqualTo(2);
        assertThat(unit.remote("select count(*) from Topic_BgShelf where Topic_id = ?", id)).isEqualTo(1);

        inTransaction(em -> {
            Topic parent = em.find(Topic.class, id);
            em.remove(em.find(Topic.class, id + 1));
            parent.getShelves().clear();
            parent.getTags().clear();
            em.remove(parent); // its note goes with it: the database deletes it
        });
        assertThat(unit.local("select count(*) from Note where id = ?", id)).isZero();
        assertSynced();
        assertThat(unit.remote("select count(*) from Topic where id in (?, ?)", id, id + 1)).isZero();
        assertThat(unit.remote("select count(*) from Note where id = ?", id)).isZero();
        assertThat(logMark()).isGreaterThan(mark);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void assertSynced() {
        assertThat(unit.emf.sync().failed()).as("%s", unit.emf.getSyncStatus()).isZero();
    }

    private static String ddl(String table) {
        Object sql = SqliteFiles.rows(unit.localUrl, "select sql from sqlite_master where type = 'table' and name = ?",
                table).get(0).get("sql");
        return String.valueOf(sql).replaceAll("\\s+", " ");
    }

    private static Class<? extends ShelfBase> shelfClass(String kind) {
        return load("io.dbcomposite.constraints.Shelves$" + kind + "Shelf").asSubclass(ShelfBase.class);
    }

    private static Class<? extends BookBase> bookClass(String kind) {
        return load("io.dbcomposite.constraints.Shelves$" + kind + "Book").asSubclass(BookBase.class);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ShelfBase shelf(String kind, long id) {
        try {
            return shelfClass(kind).getConstructor(long.class, String.class).newInstance(id, "shelf " + id);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BookBase book(String kind, long id, String title) {
        try {
            return bookClass(kind).getConstructor(long.class, String.class).newInstance(id, title);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void inTransaction(Consumer<EntityManager> work) {
        Transactions.inTransaction(unit.emf.createEntityManager(), work::accept);
    }

    /** @return what a transaction doing {@code work} throws, from the work or its commit; it is rolled back */
    private static Throwable outcome(Consumer<EntityManager> work) {
        try (EntityManager em = unit.emf.createEntityManager()) {
            em.getTransaction().begin();
            Throwable thrown = catchThrowable(() -> {
                work.accept(em);
                em.getTransaction().commit();
            });
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            assertThat(thrown).as("the transaction fails").isNotNull();
            return thrown;
        }
    }

    private static ConstraintViolationException violation(Throwable thrown) {
        Throwable t = thrown;
        while (t != null && !(t instanceof ConstraintViolationException)) {
            t = t.getCause();
        }
        assertThat(t).as("a ConstraintViolationException in %s", thrown).isInstanceOf(ConstraintViolationException.class);
        return (ConstraintViolationException) t;
    }

    private static void assertNothing(String table, long id, long mark) {
        assertThat(unit.local("select count(*) from " + table + " where id = ?", id)).as("no local row").isZero();
        assertThat(unit.remote("select count(*) from " + table + " where id = ?", id)).as("no remote row").isZero();
        assertThat(logMark()).as("nothing logged").isEqualTo(mark);
        assertThat(unit.emf.getSyncStatus().remoteAvailable()).isTrue();
    }

    private static long logMark() {
        return unit.local("select coalesce(max(id), 0) from dbc_sync_log");
    }
}
