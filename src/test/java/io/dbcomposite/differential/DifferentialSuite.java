package io.dbcomposite.differential;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the dynamic tests of a model: one container per routing, in it one test per step (named by its number and
 * what it does), then a check that nothing is left different, then the close. The tests of one routing run in order
 * on one unit; a failing step does not stop the next ones (each reports only the differences it adds).
 */
final class DifferentialSuite implements AutoCloseable {

    private final List<DifferentialRun> open = new ArrayList<>();

    Stream<DynamicNode> containers(Model model, List<RoutingKind> kinds, java.util.function.Function<RoutingKind, List<DynamicNode>> extra) {
        return kinds.stream().map(kind -> DynamicContainer.dynamicContainer(kind.name(), nodes(model, kind, extra.apply(kind))));
    }

    private Stream<DynamicNode> nodes(Model model, RoutingKind kind, List<DynamicNode> extra) {
        DifferentialRun[] run = new DifferentialRun[1];
        List<DynamicNode> nodes = new ArrayList<>(extra);
        nodes.add(DynamicTest.dynamicTest("start plain Hibernate and the composite unit", () -> {
            run[0] = DifferentialRun.start(kind, model);
            open.add(run[0]);
        }));
        int n = 1;
        for (Step step : model.steps()) {
            String name = String.format("%03d %s", n++, step.name());
            nodes.add(DynamicTest.dynamicTest(name, () -> started(run[0]).run(step)));
        }
        nodes.add(DynamicTest.dynamicTest("nothing is left different", () -> started(run[0]).assertFinalState()));
        nodes.add(DynamicTest.dynamicTest("close", () -> close(run[0])));
        return nodes.stream();
    }

    private static DifferentialRun started(DifferentialRun run) {
        if (run == null) {
            throw new AssertionError("the units of this routing did not start (see the start test)");
        }
        return run;
    }

    private void close(DifferentialRun run) {
        if (run != null) {
            open.remove(run);
            run.close();
        }
    }

    @Override
    public void close() {
        List.copyOf(open).forEach(this::close);
    }
}
