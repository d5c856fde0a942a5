package io.dbcomposite;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes an entity between the local and the remote database.
 *
 * <pre>{@code
 * @Entity
 * @CompositeRouting(write = Write.DUAL, onRemoteFail = OnRemoteFail.FAIL)
 * public class Payment { @Id UUID id; ... }
 * }</pre>
 *
 * <p>Attributes left at {@code DEFAULT} are decided by the configured defaults
 * ({@code dbcomposite.defaults.*}). Per-entity settings ({@code dbcomposite.routing.<EntityName>.*} or
 * {@code CompositePersistence.Builder#route}) win over the annotation. Subclasses inherit the annotation.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CompositeRouting {
    /** Where reads go; {@link Read#DEFAULT} leaves it to the configuration. */
    Read read() default Read.DEFAULT;

    /** Where writes go; {@link Write#DEFAULT} leaves it to the configuration. */
    Write write() default Write.DEFAULT;

    /** Whether local writes are replayed in the background; {@link Sync#DEFAULT} leaves it to the configuration. */
    Sync sync() default Sync.DEFAULT;

    /** What a failing remote write does; {@link OnRemoteFail#DEFAULT} leaves it to the configuration. */
    OnRemoteFail onRemoteFail() default OnRemoteFail.DEFAULT;

    /**
     * What a replay does when the remote row is not in the state the change was based on; {@link OnConflict#DEFAULT}
     * leaves it to the configuration.
     */
    OnConflict onConflict() default OnConflict.DEFAULT;
}
