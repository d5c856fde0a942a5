package io.dbcomposite.differential;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the dynamic tests of a model: one container per routing, in it one test per step (named by its number and
 * what it does), then a check that nothing is left different, then the close. The tests of one routing run in order
 * on one unit; a failing step does not stop the next ones (each reports only the differences it adds).
 */
final class DifferentialSuite implements AutoCloseable {

    /** The step name {@link #knownDivergence} uses for the final comparison of a routing. */
    static final String FINAL_CHECK = "nothing is left different";

    private final List<DifferentialRun> open = new ArrayList<>();
    private Map<String, String> known = Map.of();

    Stream<DynamicNode> containers(Model model, List<RoutingKind> kinds, java.util.function.Function<RoutingKind, List<DynamicNode>> extra) {
        return kinds.stream().map(kind -> DynamicContainer.dynamicContainer(kind.name(), nodes(model, kind, extra.apply(kind))));
    }

    /**
     * Steps that still diverge because of a defect that is open (each names it): such a step must still fail, so the
     * list cannot hide a new divergence elsewhere, and a fixed defect fails its step until it leaves the list.
     *
     * @param divergences keys from {@link #knownDivergence}, values saying which open defect each one is
     */
    DifferentialSuite withKnownDivergences(Map<String, String> divergences) {
        this.known = Map.copyOf(divergences);
        return this;
    }

    /** @return the key of a step of a routing in {@link #withKnownDivergences} */
    static String knownDivergence(RoutingKind kind, String stepName) {
        return kind.name() + ": " + stepName;
    }

    /** Runs a step, or for a known divergence asserts that it still diverges. */
    private void expect(RoutingKind kind, String stepName, org.junit.jupiter.api.function.Executable body) throws Throwable {
        String why = known.get(knownDivergence(kind, stepName));
        if (why == null) {
            body.execute();
            return;
        }
        try {
            body.execute();
        } catch (AssertionError stillDiverges) {
            // as listed: the step passes as the record of an open defect, and its difference is printed with the reason
            System.out.println("known divergence, " + why + ": " + stillDiverges.getMessage());
            return;
        }
        throw new AssertionError("[" + kind + "] step '" + stepName + "' is listed as a known divergence (" + why
                + ") but now behaves as plain Hibernate: take it off the list");
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
            nodes.add(DynamicTest.dynamicTest(name, () -> expect(kind, step.name(), () -> started(run[0]).run(step))));
        }
        nodes.add(DynamicTest.dynamicTest(FINAL_CHECK, () -> expect(kind, FINAL_CHECK, () -> started(run[0]).assertFinalState())));
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
