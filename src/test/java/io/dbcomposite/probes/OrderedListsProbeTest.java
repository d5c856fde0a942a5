package io.dbcomposite.probes;

import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Routing;
import io.dbcomposite.Write;
import io.dbcomposite.testing.DatabasePair;
import io.dbcomposite.testing.StandaloneUnit;
import io.dbcomposite.testing.Transactions;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordered lists of every kind (an element collection of strings and of embeddables, a unidirectional one-to-many in the
 * elements' rows, an inverse one-to-many, a many-to-many, each with an order column), with an insert in the middle, a
 * removal at the head, a reorder and a null element, and a set of embeddables whose element's field changes: the remote
 * holds the local rows, positions included.
 */
class OrderedListsProbeTest {

    @Embeddable
    public static class Step {
        public String label;
        public Integer weight;

        public Step() {
        }

        Step(String label, Integer weight) {
            this.label = label;
            this.weight = weight;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Step s && Objects.equals(label, s.label) && Objects.equals(weight, s.weight);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, weight);
        }
    }

    @Entity(name = "PbTrack")
    @Table(name = "pb_track")
    public static class Track {
        @Id
        public Long id;
        public String title;
        @ManyToOne
        @JoinColumn(name = "inverse_owner")
        public Playlist inverseOwner;
    }

    @Entity(name = "PbPlaylist")
    @Table(name = "pb_playlist")
    public static class Playlist {
        @Id
        public Long id;
        @ElementCollection
        @CollectionTable(name = "pb_playlist_names", joinColumns = @JoinColumn(name = "playlist_id"))
        @OrderColumn(name = "pos")
        @Column(name = "name")
        public List<String> names = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_playlist_steps", joinColumns = @JoinColumn(name = "playlist_id"))
        @OrderColumn(name = "pos")
        public List<Step> steps = new ArrayList<>();
        @ElementCollection
        @CollectionTable(name = "pb_playlist_step_set", joinColumns = @JoinColumn(name = "playlist_id"))
        public Set<Step> stepSet = new HashSet<>();
        @OneToMany
        @JoinColumn(name = "uni_playlist")
        @OrderColumn(name = "uni_pos")
        public List<Track> owned = new ArrayList<>();
        @OneToMany(mappedBy = "inverseOwner")
        @OrderColumn(name = "inverse_pos")
        public List<Track> inverse = new ArrayList<>();
        @ManyToMany
        @JoinTable(name = "pb_playlist_shared", joinColumns = @JoinColumn(name = "playlist_id"),
                inverseJoinColumns = @JoinColumn(name = "track_id"))
        @OrderColumn(name = "pos")
        public List<Track> shared = new ArrayList<>();
    }

    private static final String[] TABLES = {"pb_track", "pb_playlist", "pb_playlist_names", "pb_playlist_steps",
            "pb_playlist_step_set", "pb_playlist_shared"};

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void ordered_lists_replay_with_their_positions(DatabasePair pair) {
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbOrdered", null, Map.of(), Track.class, Playlist.class)) {
            work(unit, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabasePair.class, names = {"SQLITE_POSTGRESQL", "SQLITE_MARIADB"})
    void ordered_lists_written_to_both_sides_at_once_are_the_same(DatabasePair pair) {
        Routing dual = Routing.builder().write(Write.DUAL).onRemoteFail(OnRemoteFail.FAIL).build();
        try (StandaloneUnit unit = StandaloneUnit.start(pair, "PbOrderedDual", dual, Map.of(), Track.class, Playlist.class)) {
            work(unit, false);
        }
    }

    private static void work(StandaloneUnit unit, boolean sync) {
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist p = new Playlist();
            p.id = 1L;
            em.persist(p);
            for (long i = 1; i <= 8; i++) {
                Track t = new Track();
                t.id = i;
                t.title = "t" + i;
                em.persist(t);
            }
            for (long i = 1; i <= 4; i++) {
                p.names.add("n" + i);
                p.steps.add(new Step("s" + i, (int) i));
                p.stepSet.add(new Step("e" + i, (int) i));
                p.owned.add(em.find(Track.class, i));
                Track inv = em.find(Track.class, i + 4);
                inv.inverseOwner = p;
                p.inverse.add(inv);
                p.shared.add(em.find(Track.class, 9 - i));
            }
        });
        step(unit, sync);

        // insert in the middle, remove from the head
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist p = em.find(Playlist.class, 1L);
            p.names.add(2, "mid");
            p.names.remove(0);
            p.steps.add(1, new Step("mid", null));
            p.steps.remove(0);
            p.owned.remove(0);
            p.owned.add(1, em.find(Track.class, 1L));
            Track head = p.inverse.remove(0);
            head.inverseOwner = null;
            p.shared.add(2, em.find(Track.class, 1L));
            p.shared.remove(0);
        });
        step(unit, sync);

        // reorder, an element of a set changed in place
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist p = em.find(Playlist.class, 1L);
            Collections.reverse(p.names);
            p.names.add("last");
            Collections.swap(p.steps, 0, 2);
            p.steps.get(1).weight = 99;
            Collections.reverse(p.owned);
            Collections.reverse(p.inverse);
            Collections.rotate(p.shared, 1);
            Step e1 = p.stepSet.stream().filter(s -> "e1".equals(s.label)).findFirst().orElseThrow();
            p.stepSet.remove(e1);
            e1.weight = 100;
            p.stepSet.add(e1);
            p.stepSet.stream().filter(s -> "e2".equals(s.label)).findFirst().orElseThrow().label = "E2";
        });
        step(unit, true);
        assertThat(unit.local("select count(*) from pb_playlist_step_set where label = 'E2'")).isEqualTo(1);

        // truncate from the tail, clear one
        Transactions.inTransaction(unit.emf.createEntityManager(), em -> {
            Playlist p = em.find(Playlist.class, 1L);
            p.names.subList(1, p.names.size()).clear();
            p.steps.clear();
            p.owned.remove(p.owned.size() - 1);
            p.shared.remove(p.shared.size() - 1);
        });
        step(unit, true);
    }

    private static void step(StandaloneUnit unit, boolean sync) {
        if (sync) {
            ProbeRows.syncAndCompare(unit, TABLES);
        }
    }
}
