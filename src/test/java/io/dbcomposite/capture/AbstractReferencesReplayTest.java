package io.dbcomposite.capture;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.SqliteFiles;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay rebuilds references from the declared type of the association and the id. When that type is an abstract
 * root (SINGLE_TABLE or JOINED), a to-one and a many-to-many element to it must reach the remote as plain Hibernate
 * wrote them locally, in background sync, DUAL+FAIL and DUAL+QUEUE, with every log row SYNCED. One unit open at a time.
 */
class AbstractReferencesReplayTest {

    private static final Class<?>[] MODEL = {Gallery.class, Exhibit.class, Painting.class, Sculpture.class, Artefact.class,
            Coin.class, Vase.class};

    static Routing routing(String name) {
        return switch (name) {
            case "background" -> null;
            case "dualFail" -> Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
            case "dualQueue" -> Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.QUEUE).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static StandaloneUnit start(String prefix, String routing) {
        return StandaloneUnit.start(prefix + routing, routing(routing), MODEL);
    }

    static void inTransaction(StandaloneUnit unit, Consumer<CompositeEntityManager> work) {
        Transactions.inTransaction(unit.emf.createEntityManager(), work);
    }

    /** Two exhibits (SINGLE_TABLE) and two artefacts (JOINED), in a transaction of their own. */
    static void persistCollection(StandaloneUnit unit) {
        inTransaction(unit, em -> {
            em.persist(new Painting(1, "Haystacks", "oil"));
            em.persist(new Sculpture(2, "Thinker", 186));
            em.persist(new Coin(3, "Denarius", "silver"));
            em.persist(new Vase(4, "Amphora", "black-figure"));
        });
    }

    private static List<String> unsynced(StandaloneUnit unit) {
        return SqliteFiles.rows(unit.localUrl, "select id, entity_name, status, last_error from dbc_sync_log"
                + " where status <> 'SYNCED'").stream().map(Object::toString).toList();
    }

    private static void assertSameGallery(StandaloneUnit unit) {
        SideBySide.assertSame(unit, "gallery", "1 = 1", "id");
        SideBySide.assertSame(unit, "gallery_hung", "1 = 1", "gallery_id, slot");
        SideBySide.assertSame(unit, "gallery_case", "1 = 1", "gallery_id, artefact_id");
    }

    /** After the commit (DUAL) and after sync() (every routing): the same rows on both sides, nothing left unsynced. */
    private static void assertConverged(StandaloneUnit unit, String routing) {
        if (!routing.equals("background")) {
            assertSameGallery(unit);
            assertThat(unsynced(unit)).as("log rows a DUAL commit left unsynced").isEmpty();
        }
        unit.emf.sync();
        assertThat(unsynced(unit)).as("log rows sync() left unsynced").isEmpty();
        assertSameGallery(unit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"background", "dualFail", "dualQueue"})
    void to_ones_and_collection_elements_of_abstract_roots_replay(String routing) {
        try (StandaloneUnit unit = start("AbstractRefs", routing)) {
            persistCollection(unit);

            inTransaction(unit, em -> {
                Gallery g = new Gallery(10, "East wing");
                g.setHighlight(em.find(Exhibit.class, 2L));
                g.setTreasure(em.getReference(Artefact.class, 4L));
                g.getHung().add(em.find(Exhibit.class, 2L));
                g.getHung().add(em.find(Exhibit.class, 1L));
                g.getCases().add(em.find(Artefact.class, 3L));
                g.getCases().add(em.getReference(Artefact.class, 4L));
                em.persist(g);
            });
            assertConverged(unit, routing);
            assertThat(SqliteFiles.rows(unit.localUrl, "select highlight_id, treasure_id from gallery").toString())
                    .isEqualTo("[{highlight_id=2, treasure_id=4}]");

            inTransaction(unit, em -> {
                Gallery g = em.find(Gallery.class, 10L);
                g.setHighlight(em.getReference(Exhibit.class, 1L));
                g.setTreasure(em.find(Artefact.class, 3L));
                g.getHung().remove(0);
                g.getHung().add(em.find(Exhibit.class, 2L));
                g.getCases().removeIf(a -> a.getId() == 3L);
            });
            assertConverged(unit, routing);
            assertThat(SqliteFiles.rows(unit.localUrl, "select exhibit_id from gallery_hung order by slot").toString())
                    .isEqualTo("[{exhibit_id=1}, {exhibit_id=2}]");
        }
    }
}
