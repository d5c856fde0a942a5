package io.dbcomposite.ids;

import io.dbcomposite.CompositeRouting;
import io.dbcomposite.OnRemoteFail;
import io.dbcomposite.Read;
import io.dbcomposite.Write;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;

import java.util.List;

/**
 * Pairs of entities on one table and one id generator (a sequence, or a generator table's row): the first routed by
 * the unit's defaults, so its ids come from the local side's generator table and reach the remote with its rows; the
 * second read and written on the remote ({@code onRemoteFail=FAIL}), so its ids come from the remote's own generator,
 * as another application's would. Each second entity names the generator under a name of its own, as a separate
 * mapping of the same database object would.
 */
final class SharedGenerators {

    /** A generator kind: the entity whose ids the local side generates, the one the remote numbers, the sequence. */
    enum Kind {
        SEQUENCE_ONE(SeqOne.class, RemoteSeqOne.class, "catchup_seq_one", false),
        SEQUENCE_FIFTY(SeqFifty.class, RemoteSeqFifty.class, "catchup_seq_fifty", true),
        TABLE_ONE(TabOne.class, RemoteTabOne.class, null, false),
        TABLE_FIFTY(TabFifty.class, RemoteTabFifty.class, null, true),
        AUTO(AutoRow.class, RemoteAutoRow.class, "catchup_auto_row_SEQ", true);

        final Class<? extends Row> local;
        final Class<? extends Row> remote;
        /** The remote sequence plain SQL takes a value from, or null for a generator table. */
        final String sequence;
        /** Allocation size 50: the local side holds a block of ids in memory beyond the rows it wrote. */
        final boolean blocks;

        Kind(Class<? extends Row> local, Class<? extends Row> remote, String sequence, boolean blocks) {
            this.local = local;
            this.remote = remote;
            this.sequence = sequence;
            this.blocks = blocks;
        }

        String table() {
            return local.getAnnotation(Table.class).name();
        }

        Row newLocal(String name) {
            return create(local, name);
        }

        Row newRemote(String name) {
            return create(remote, name);
        }

        private static Row create(Class<? extends Row> type, String name) {
            try {
                return type.getDeclaredConstructor(String.class).newInstance(name);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final List<Class<?>> ALL = List.of(SeqOne.class, RemoteSeqOne.class, SeqFifty.class, RemoteSeqFifty.class,
            TabOne.class, RemoteTabOne.class, TabFifty.class, RemoteTabFifty.class, AutoRow.class, RemoteAutoRow.class);

    /** A table-per-class hierarchy numbered from one sequence: its ids are spread over the subclasses' tables. */
    static final List<Class<?>> HIERARCHY = List.of(Vehicle.class, Car.class, Bike.class);

    private SharedGenerators() {
    }

    @Entity(name = "CatchUpVehicle")
    @jakarta.persistence.Inheritance(strategy = jakarta.persistence.InheritanceType.TABLE_PER_CLASS)
    abstract static class Vehicle extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_vehicle")
        @SequenceGenerator(name = "catchup_vehicle", sequenceName = "catchup_vehicle_seq", allocationSize = 50)
        private Long id;

        protected Vehicle() {
        }

        Vehicle(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpCar")
    @Table(name = "catchup_car")
    static class Car extends Vehicle {
        protected Car() {
        }

        Car(String name) {
            super(name);
        }
    }

    @Entity(name = "CatchUpBike")
    @Table(name = "catchup_bike")
    static class Bike extends Vehicle {
        protected Bike() {
        }

        Bike(String name) {
            super(name);
        }
    }

    /** What the entities share: a name and a generated {@code Long} id. */
    @MappedSuperclass
    abstract static class Row {
        private String name;

        protected Row() {
        }

        Row(String name) {
            this.name = name;
        }

        abstract Long getId();

        String getName() {
            return name;
        }
    }

    @Entity(name = "CatchUpSeqOne")
    @Table(name = "catchup_seq_one_row")
    static class SeqOne extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_seq_one")
        @SequenceGenerator(name = "catchup_seq_one", sequenceName = "catchup_seq_one", allocationSize = 1)
        private Long id;

        protected SeqOne() {
        }

        SeqOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpRemoteSeqOne")
    @Table(name = "catchup_seq_one_row")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    static class RemoteSeqOne extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_seq_one_remote")
        @SequenceGenerator(name = "catchup_seq_one_remote", sequenceName = "catchup_seq_one", allocationSize = 1)
        private Long id;

        protected RemoteSeqOne() {
        }

        RemoteSeqOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpSeqFifty")
    @Table(name = "catchup_seq_fifty_row")
    static class SeqFifty extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_seq_fifty")
        @SequenceGenerator(name = "catchup_seq_fifty", sequenceName = "catchup_seq_fifty", allocationSize = 50)
        private Long id;

        protected SeqFifty() {
        }

        SeqFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpRemoteSeqFifty")
    @Table(name = "catchup_seq_fifty_row")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    static class RemoteSeqFifty extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_seq_fifty_remote")
        @SequenceGenerator(name = "catchup_seq_fifty_remote", sequenceName = "catchup_seq_fifty", allocationSize = 50)
        private Long id;

        protected RemoteSeqFifty() {
        }

        RemoteSeqFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpTabOne")
    @Table(name = "catchup_tab_one_row")
    static class TabOne extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "catchup_tab_one")
        @TableGenerator(name = "catchup_tab_one", table = "catchup_ids", pkColumnValue = "one", allocationSize = 1)
        private Long id;

        protected TabOne() {
        }

        TabOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpRemoteTabOne")
    @Table(name = "catchup_tab_one_row")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    static class RemoteTabOne extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "catchup_tab_one_remote")
        @TableGenerator(name = "catchup_tab_one_remote", table = "catchup_ids", pkColumnValue = "one", allocationSize = 1)
        private Long id;

        protected RemoteTabOne() {
        }

        RemoteTabOne(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpTabFifty")
    @Table(name = "catchup_tab_fifty_row")
    static class TabFifty extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "catchup_tab_fifty")
        @TableGenerator(name = "catchup_tab_fifty", table = "catchup_ids", pkColumnValue = "fifty", allocationSize = 50)
        private Long id;

        protected TabFifty() {
        }

        TabFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    @Entity(name = "CatchUpRemoteTabFifty")
    @Table(name = "catchup_tab_fifty_row")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    static class RemoteTabFifty extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "catchup_tab_fifty_remote")
        @TableGenerator(name = "catchup_tab_fifty_remote", table = "catchup_ids", pkColumnValue = "fifty", allocationSize = 50)
        private Long id;

        protected RemoteTabFifty() {
        }

        RemoteTabFifty(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** AUTO: Hibernate's implied sequence, named after the table ({@code catchup_auto_row_SEQ}), allocation size 50. */
    @Entity(name = "CatchUpAuto")
    @Table(name = "catchup_auto_row")
    static class AutoRow extends Row {
        @Id
        @GeneratedValue
        private Long id;

        protected AutoRow() {
        }

        AutoRow(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }

    /** The implied sequence of {@link AutoRow}, named by a mapping of its own. */
    @Entity(name = "CatchUpRemoteAuto")
    @Table(name = "catchup_auto_row")
    @CompositeRouting(read = Read.REMOTE, write = Write.REMOTE, onRemoteFail = OnRemoteFail.FAIL)
    static class RemoteAutoRow extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "catchup_auto_remote")
        @SequenceGenerator(name = "catchup_auto_remote", sequenceName = "catchup_auto_row_SEQ", allocationSize = 50)
        private Long id;

        protected RemoteAutoRow() {
        }

        RemoteAutoRow(String name) {
            super(name);
        }

        @Override
        Long getId() {
            return id;
        }
    }
}
