package io.dbcomposite.internal.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed change is tried again: after {@code min(initial * 2^(attempts-1), max)}, and never again
 * (DEAD) once it failed {@code maxAttempts} times.
 *
 * @param initial the wait after the first failure
 * @param max the longest wait
 * @param maxAttempts failed attempts after which a change is DEAD
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts) implements io.dbcomposite.internal.log.SyncLogRepository.Backoff {

    /** @return the wait before the next attempt of a change that has now failed {@code attempts} times */
    public Duration backoff(int attempts) {
        if (attempts <= 0) {
            return Duration.ZERO;
        }
        Duration wait = initial;
        for (int i = 1; i < attempts; i++) {
            wait = wait.multipliedBy(2);
            if (wait.compareTo(max) >= 0) {
                return max;
            }
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** @return when to try again after the {@code attempts}-th failure at {@code now} */
    @Override
    public Instant nextAttempt(Instant now, int attempts) {
        return now.plus(backoff(attempts));
    }

    /** @return true if a change that failed {@code attempts} times is dead */
    @Override
    public boolean isDead(int attempts) {
        return attempts >= maxAttempts;
    }
}
