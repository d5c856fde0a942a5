package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositePersistence;

/**
 * A bean that adjusts the unit's builder before Spring Boot builds it: routes, a clock, a conflict resolver, any
 * setting. Customizers run in their {@code @Order}, after the auto-configuration has set what it read from the
 * {@code Environment}.
 */
@FunctionalInterface
public interface DbCompositeBuilderCustomizer {

    /** @param builder the unit's builder, entities and settings already given */
    void customize(CompositePersistence.Builder builder);
}
