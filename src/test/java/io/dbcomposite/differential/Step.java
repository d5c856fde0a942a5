package io.dbcomposite.differential;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * One named operation of the differential suite, run the same way on plain Hibernate and on the composite unit.
 *
 * @param name what the step does (shown in the test's name)
 * @param ownTransactions false: the runner wraps the body in one transaction of {@link Ctx#em()} and commits it;
 *        true: the body opens its own entity managers and transactions ({@link Ctx#inTransaction})
 * @param ordered whether a {@code List} result is in a defined order (otherwise it is compared as a multiset)
 * @param refusedOn routings on which the contract refuses the step
 * @param refusal the exception the contract documents for that refusal
 * @param body the operation; what it returns is compared
 */
record Step(String name, boolean ownTransactions, boolean ordered, Set<RoutingKind> refusedOn,
            Class<? extends RuntimeException> refusal, Function<Ctx, Object> body) {

    static Step tx(String name, Function<Ctx, Object> body) {
        return new Step(name, false, true, EnumSet.noneOf(RoutingKind.class), null, body);
    }

    static Step own(String name, Function<Ctx, Object> body) {
        return new Step(name, true, true, EnumSet.noneOf(RoutingKind.class), null, body);
    }

    Step unordered() {
        return new Step(name, ownTransactions, false, refusedOn, refusal, body);
    }

    Step refusedOn(Class<? extends RuntimeException> exception, RoutingKind first, RoutingKind... more) {
        return new Step(name, ownTransactions, ordered, EnumSet.of(first, more), exception, body);
    }
}
