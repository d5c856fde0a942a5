package io.dbcomposite.ids;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.TableGenerator;

import java.util.List;

/**
 * One entity per id generator mapping a Hibernate user may choose (besides IDENTITY), each a name and a generated
 * {@code Long} id. On SQLite, which has no sequences, every one of them is allocated from a table.
 */
final class GeneratedIds {

    /** Every entity below. */
    static final List<Class<? extends Named>> ALL = List.of(AutoId.class, SequenceId.class, SequenceOne.class,
            SequenceFifty.class, TableId.class, TableOne.class, TableFifty.class);

    private GeneratedIds() {
    }

    /** What the entities share. */
    @MappedSuperclass
    abstract static class Named {
        private String name;

        protected Named() {
        }

        Named(String name) {
            this.name = name;
        }

        abstract Long getId();

        String getName() {
            return name;
        }
    }

    /** {@code @GeneratedValue} as most mappings write it: AUTO. */
    @Entity(name = "AutoId")
    static class AutoId extends Named {
        @Id
        @GeneratedValue
        private Long id;

        protected AutoId() {
        }

        AutoId(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** SEQUENCE with Hibernate's implied sequence (allocation size 50). */
    @Entity(name = "SequenceId")
    static class SequenceId extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        private Long id;

        protected SequenceId() {
        }

        SequenceId(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** SEQUENCE with a named generator of allocation size 1. */
    @Entity(name = "SequenceOne")
    static class SequenceOne extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sequence_one")
        @SequenceGenerator(name = "sequence_one", sequenceName = "sequence_one_seq", allocationSize = 1)
        private Long id;

        protected SequenceOne() {
        }

        SequenceOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** SEQUENCE with a named generator of allocation size 50. */
    @Entity(name = "SequenceFifty")
    static class SequenceFifty extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sequence_fifty")
        @SequenceGenerator(name = "sequence_fifty", sequenceName = "sequence_fifty_seq", allocationSize = 50)
        private Long id;

        protected SequenceFifty() {
        }

        SequenceFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** TABLE with Hibernate's implied table. */
    @Entity(name = "TableId")
    static class TableId extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE)
        private Long id;

        protected TableId() {
        }

        TableId(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** TABLE with a named generator of allocation size 1. */
    @Entity(name = "TableOne")
    static class TableOne extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "table_one")
        @TableGenerator(name = "table_one", table = "id_blocks", pkColumnValue = "table_one", allocationSize = 1)
        private Long id;

        protected TableOne() {
        }

        TableOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** TABLE with a named generator of allocation size 50. */
    @Entity(name = "TableFifty")
    static class TableFifty extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "table_fifty")
        @TableGenerator(name = "table_fifty", table = "id_blocks", pkColumnValue = "table_fifty", allocationSize = 50)
        private Long id;

        protected TableFifty() {
        }

        TableFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }
}
