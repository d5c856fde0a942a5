package io.dbcomposite.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the Spring Boot tests share: an exception's chain of causes, and polling with a deadline. */
final class SpringTests {

    private SpringTests() {
    }

    /** @return the exception and each of its causes, outermost first */
    static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    /** Polls until the condition holds, failing after 30 s. */
    static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met within 30 s").isBefore(deadline);
            Thread.onSpinWait();
        }
    }
}
