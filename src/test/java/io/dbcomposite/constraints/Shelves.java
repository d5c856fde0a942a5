package io.dbcomposite.constraints;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Sync;
import io.dbcomposite.Write;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import org.hibernate.annotations.OnDelete;
import org.hibernate.annotations.OnDeleteAction;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model of {@link LocalConstraintsTest}: a shelf and its books once per routing, each book referencing its shelf
 * (a foreign key) and unique by shelf and title (a two-column unique key), plus the shapes foreign keys come in (a
 * self-reference, a many-to-many join table, an element collection, {@code @OnDelete(CASCADE)}, and a reference to
 * an entity that lives only on the remote).
 */
public final class Shelves {

    private Shelves() {
    }

    /** A shelf: the referenced side. */
    @MappedSuperclass
    public abstract static class ShelfBase {
        @Id
        private Long id;

        @Column(nullable = false, length = 40)
        private String name;

        protected ShelfBase() {
        }

        protected ShelfBase(long id, String name) {
            this.id = id;
            this.name = name;
        }

        public Long getId() {
            return id;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    /** A book: the referencing side. */
    @MappedSuperclass
    public abstract static class BookBase {
        @Id
        private Long id;

        @Column(length = 40)
        private String title;

        protected BookBase() {
        }

        protected BookBase(long id, String title) {
            this.id = id;
            this.title = title;
        }

        public Long getId() {
            return id;
        }

        public abstract void setShelf(ShelfBase shelf);
    }

    /** Default routing: written locally, replayed in the background. */
    @Entity(name = "BgShelf")
    public static class BgShelf extends ShelfBase {
        protected BgShelf() {
        }

        public BgShelf(long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "BgBook")
    @Table(name = "BgBook", uniqueConstraints = @UniqueConstraint(name = "uk_bgbook_shelf_title",
            columnNames = {"shelf_id", "title"}))
    public static class BgBook extends BookBase {
        @ManyToOne(fetch = FetchType.LAZY)
        private BgShelf shelf;

        protected BgBook() {
        }

        public BgBook(long id, String title) {
            super(id, title);
        }

        @Override
        public void setShelf(ShelfBase shelf) {
            this.shelf = (BgShelf) shelf;
        }
    }

    @Entity(name = "DqShelf")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    public static class DqShelf extends ShelfBase {
        protected DqShelf() {
        }

        public DqShelf(long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "DqBook")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.QUEUE)
    @Table(name = "DqBook", uniqueConstraints = @UniqueConstraint(name = "uk_dqbook_shelf_title",
            columnNames = {"shelf_id", "title"}))
    public static class DqBook extends BookBase {
        @ManyToOne(fetch = FetchType.LAZY)
        private DqShelf shelf;

        protected DqBook() {
        }

        public DqBook(long id, String title) {
            super(id, title);
        }

        @Override
        public void setShelf(ShelfBase shelf) {
            this.shelf = (DqShelf) shelf;
        }
    }

    @Entity(name = "DfShelf")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    public static class DfShelf extends ShelfBase {
        protected DfShelf() {
        }

        public DfShelf(long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "DfBook")
    @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
    @Table(name = "DfBook", uniqueConstraints = @UniqueConstraint(name = "uk_dfbook_shelf_title",
            columnNames = {"shelf_id", "title"}))
    public static class DfBook extends BookBase {
        @ManyToOne(fetch = FetchType.LAZY)
        private DfShelf shelf;

        protected DfBook() {
        }

        public DfBook(long id, String title) {
            super(id, title);
        }

        @Override
        public void setShelf(ShelfBase shelf) {
            this.shelf = (DfShelf) shelf;
        }
    }

    /** Purely local: written locally, never replayed. */
    @Entity(name = "LoShelf")
    @CompositeRouting(sync = Sync.NONE)
    public static class LoShelf extends ShelfBase {
        protected LoShelf() {
        }

        public LoShelf(long id, String name) {
            super(id, name);
        }
    }

    @Entity(name = "LoBook")
    @CompositeRouting(sync = Sync.NONE)
    @Table(name = "LoBook", uniqueConstraints = @UniqueConstraint(name = "uk_lobook_shelf_title",
            columnNames = {"shelf_id", "title"}))
    public static class LoBook extends BookBase {
        @ManyToOne(fetch = FetchType.LAZY)
        private LoShelf shelf;

        protected LoBook() {
        }

        public LoBook(long id, String title) {
            super(id, title);
        }

        @Override
        public void setShelf(ShelfBase shelf) {
            this.shelf = (LoShelf) shelf;
        }
    }

    /** Lives on the remote only: the local table stays empty, so no local key may point at it. */
    @Entity(name = "Archive")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, sync = Sync.NONE, onRemoteFail = OnRemoteFail.FAIL)
    public static class Archive {
        @Id
        private Long id;

        protected Archive() {
        }

        public Archive(long id) {
            this.id = id;
        }
    }

    /**
     * The other shapes of keys, routed by default: a self-reference, a reference to {@link Archive}, a many-to-many
     * join table, an element collection, and children deleted by the database ({@code @OnDelete}).
     */
    @Entity(name = "Topic")
    public static class Topic {
        @Id
        private Long id;

        @ManyToOne(fetch = FetchType.LAZY)
        private Topic parent;

        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "archive_id")
        private Archive archive;

        @ManyToMany
        private Set<BgShelf> shelves = new HashSet<>();

        @ElementCollection
        private List<String> tags = new ArrayList<>();

        @OneToMany(mappedBy = "topic", cascade = CascadeType.PERSIST)
        private List<Note> notes = new ArrayList<>();

        protected Topic() {
        }

        public Topic(long id) {
            this.id = id;
        }

        public Long getId() {
            return id;
        }

        public void setParent(Topic parent) {
            this.parent = parent;
        }

        public void setArchive(Archive archive) {
            this.archive = archive;
        }

        public Set<BgShelf> getShelves() {
            return shelves;
        }

        public List<String> getTags() {
            return tags;
        }

        public List<Note> getNotes() {
            return notes;
        }
    }

    /** Deleted with its topic by the database. */
    @Entity(name = "Note")
    public static class Note {
        @Id
        private Long id;

        @ManyToOne(fetch = FetchType.LAZY, optional = false)
        @OnDelete(action = OnDeleteAction.CASCADE)
        private Topic topic;

        protected Note() {
        }

        public Note(long id, Topic topic) {
            this.id = id;
            this.topic = topic;
            topic.getNotes().add(this);
        }
    }
}
