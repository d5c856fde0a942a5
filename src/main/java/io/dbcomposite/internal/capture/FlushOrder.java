package io.dbcomposite.internal.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One sequence over every write the listeners see, captured or mirrored, so that the two lists a transaction keeps
 * (captured local changes, writes bound for the other side) can be replayed together in the order Hibernate
 * flushed them.
 */
public final class FlushOrder {

    private static final AtomicLong NEXT = new AtomicLong();

    private FlushOrder() {
    }

    /** @return a number higher than every one given before */
    public static long next() {
        return NEXT.incrementAndGet();
    }
}
