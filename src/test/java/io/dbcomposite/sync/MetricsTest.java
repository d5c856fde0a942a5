package io.dbcomposite.sync;

import io.dbcomposite.CompositeConfigurationException;
import io.dbcomposite.CompositePersistence;
import io.dbcomposite.testing.MutableClock;
import io.dbcomposite.testmodel.Category;
import io.dbcomposite.testmodel.Draft;
import io.dbcomposite.testmodel.Product;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unit's Micrometer meters (contract, "Observability"), tagged with the unit's name, after writes and a sync. */
class MetricsTest extends SyncTestBase {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.now());

    @Override
    protected CompositePersistence.Builder configure(CompositePersistence.Builder builder) {
        return builder.meterRegistry(registry).clock(clock);
    }

    private double gauge(String name) {
        return registry.get(name).tag("unit", getClass().getSimpleName()).gauge().value();
    }

    @Test
    void the_gauges_the_applied_counter_and_the_run_timer_follow_the_sync() {
        inTransaction(em -> {
            em.persist(new Product(unique("M-1"), "Metered", new BigDecimal("1.00"), Category.BOOKS));
            em.persist(new Product(unique("M-2"), "Metered", new BigDecimal("2.00"), Category.BOOKS));
        });
        clock.advance(Duration.ofSeconds(90)); // the gauges read the status at most once a second of the unit's clock
        assertThat(gauge("dbcomposite.sync.pending")).isEqualTo(2.0);
        assertThat(gauge("dbcomposite.sync.lag")).isBetween(89.0, 95.0);
        assertThat(gauge("dbcomposite.sync.dead")).isZero();
        assertThat(gauge("dbcomposite.sync.conflicts")).isZero();
        assertThat(gauge("dbcomposite.sync.failed")).isZero();

        emf.sync();

        assertThat(registry.get("dbcomposite.sync.applied").tag("unit", getClass().getSimpleName()).counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("dbcomposite.sync.run").timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("dbcomposite.sync.run").timer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
        clock.advance(Duration.ofSeconds(2));
        assertThat(gauge("dbcomposite.sync.pending")).isZero();
        assertThat(gauge("dbcomposite.sync.lag")).isZero();
    }

    @Test
    void a_closed_unit_takes_its_meters_away_and_a_new_one_of_the_same_name_registers_its_own() {
        SimpleMeterRegistry shared = new SimpleMeterRegistry();
        for (int round = 0; round < 2; round++) {
            try (var unit = CompositePersistence.builder().name("metered-again").entities(Draft.class).syncEnabled(false)
                    .local(io.dbcomposite.testing.SqliteFiles.urlIn(dir, "metered-" + round + ".db"))
                    .remote(io.dbcomposite.testing.PostgresTestDatabase.urlFor(schema),
                            io.dbcomposite.testing.PostgresTestDatabase.user(), io.dbcomposite.testing.PostgresTestDatabase.password())
                    .property("hibernate.hbm2ddl.auto", "update").meterRegistry(shared).build()) {
                assertThat(shared.get("dbcomposite.sync.pending").tag("unit", "metered-again").gauge().value())
                        .as("round " + round).isZero();
            }
            assertThat(shared.find("dbcomposite.sync.pending").tag("unit", "metered-again").gauge()).as("after close").isNull();
        }
    }

    @Test
    void two_units_open_under_one_name_keep_meters_of_their_own() {
        SimpleMeterRegistry shared = new SimpleMeterRegistry();
        CompositePersistence.Builder first = CompositePersistence.builder().name("metered-twice").entities(Draft.class)
                .syncEnabled(false).local(io.dbcomposite.testing.SqliteFiles.urlIn(dir, "twice-1.db"))
                .remote(io.dbcomposite.testing.PostgresTestDatabase.urlFor(schema),
                        io.dbcomposite.testing.PostgresTestDatabase.user(), io.dbcomposite.testing.PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "update").meterRegistry(shared);
        CompositePersistence.Builder second = CompositePersistence.builder().name("metered-twice").entities(Draft.class)
                .syncEnabled(false).local(io.dbcomposite.testing.SqliteFiles.urlIn(dir, "twice-2.db"))
                .remote(io.dbcomposite.testing.PostgresTestDatabase.urlFor(schema),
                        io.dbcomposite.testing.PostgresTestDatabase.user(), io.dbcomposite.testing.PostgresTestDatabase.password())
                .property("hibernate.hbm2ddl.auto", "update").meterRegistry(shared);
        try (var one = first.build()) {
            try (var two = second.build()) {
                inTransaction(two, em -> em.persist(new Draft("second unit", "body")));
                assertThat(shared.find("dbcomposite.sync.pending").tag("unit", "metered-twice").gauges()).hasSize(2);
                assertThat(shared.get("dbcomposite.sync.pending").tags("unit", "metered-twice", "instance", "2").gauge())
                        .isNotNull();
            }
            assertThat(shared.find("dbcomposite.sync.pending").tag("unit", "metered-twice").gauges())
                    .as("the first unit's meters stay when the second closes").hasSize(1);
            assertThat(shared.get("dbcomposite.sync.pending").tag("unit", "metered-twice").gauge().value()).isZero();
        }
    }

    @Test
    void something_else_than_a_meter_registry_is_refused_naming_the_type() {
        assertThatThrownBy(() -> CompositePersistence.builder().name("not-a-registry").entities(Draft.class)
                .local("jdbc:sqlite::memory:").remote("jdbc:postgresql://127.0.0.1:1/none").meterRegistry("a string").build())
                .isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining("io.micrometer.core.instrument.MeterRegistry").hasMessageContaining("java.lang.String");
    }
}
