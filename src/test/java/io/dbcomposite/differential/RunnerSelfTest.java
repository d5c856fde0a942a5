package io.dbcomposite.differential;

import io.dbcomposite.CompositeEntityManager;
import io.dbcomposite.differential.model.Cutting;
import io.dbcomposite.differential.model.Grower;
import io.dbcomposite.differential.model.Habitat;
import io.dbcomposite.differential.model.SeedPacket;
import io.dbcomposite.differential.model.Specimen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dbcomposite.differential.Step.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests the differential runner end to end on real databases: a step that behaves the same passes; a step whose
 * composite run secretly differs (a native write the sync log never sees, a different result) fails with a message
 * naming the routing, the step and the difference; the difference is not repeated by the next step, but the final
 * check still reports it.
 */
class RunnerSelfTest {

    private static final Step PERSIST = tx("persist a habitat", c -> {
        c.em().persist(new Habitat("H1", "Heath", 200));
        return c.em().find(Habitat.class, "H1");
    });

    /** On the composite only, changes a column behind Hibernate's back (native SQL is not captured). */
    private static final Step SNEAK = tx("rename behind the library's back", c -> {
        if (c.em() instanceof CompositeEntityManager) {
            c.em().createNativeQuery("update habitat set name = 'Moor' where code = 'H1'").executeUpdate();
        }
        return "done";
    });

    private static final Step DIFFERENT_RESULT = tx("return something else", c ->
            c.em() instanceof CompositeEntityManager ? List.of(1L) : List.of(1));

    private static final Step READ = tx("read the habitat", c -> c.em().createQuery("select h.code from Habitat h", String.class)
            .getResultList());

    @Test
    void a_hidden_difference_fails_the_step_that_made_it_with_routing_step_table_row_and_column() {
        Model model = new Model("selftest", List.of(Grower.class, Habitat.class, Specimen.class, SeedPacket.class, Cutting.class),
                List.of(), Map.of(), Set.of(), List.of("specimen", "id", "label"));
        try (DifferentialRun run = DifferentialRun.start(RoutingKind.BACKGROUND, model)) {
            run.run(PERSIST);
            assertThatThrownBy(() -> run.run(SNEAK))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("[BACKGROUND] step 'rename behind the library's back'")
                    .hasMessageContaining("table habitat row {code=H1} column name: plain-hibernate=Heath, composite-local=Moor")
                    .hasMessageContaining("table habitat row {code=H1} column name: composite-local=Moor, composite-remote=Heath");
            // the next step does not repeat it...
            run.run(READ);
            assertThatThrownBy(() -> run.run(DIFFERENT_RESULT))
                    .hasMessageContaining("results differ")
                    .hasMessageContaining("plain Hibernate: returned [1:Integer]")
                    .hasMessageContaining("composite:       returned [1:Long]");
            // ...but the final check does
            assertThatThrownBy(run::assertFinalState)
                    .hasMessageContaining("table habitat row {code=H1} column name: composite-local=Moor, composite-remote=Heath");
            assertThat(run.allDifferences()).hasSize(2);
        }
    }
}
