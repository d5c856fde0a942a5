package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application asks for a composite unit and Boot would set up JPA at all: a remote is configured
 * ({@code dbcomposite.remote.url} or {@code dbcomposite.remote.datasource}), Boot's Hibernate JPA auto-configuration is
 * not excluded, and the scanned packages hold at least one entity. Each "no" is written to Boot's conditions report.
 */
final class OnCompositeUnitCondition extends SpringBootCondition implements ConfigurationCondition {

    /** At bean registration: by then the application's {@code @EntityScan} and auto-configuration packages are known. */
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    static final String HIBERNATE_JPA_AUTO_CONFIGURATION =
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("db-composite unit");
        Environment env = context.getEnvironment();
        if (!env.containsProperty(CompositeSettings.REMOTE_URL) && !env.containsProperty(CompositeSettings.REMOTE_DATASOURCE)) {
            return ConditionOutcome.noMatch(message.because("neither " + CompositeSettings.REMOTE_URL + " nor "
                    + CompositeSettings.REMOTE_DATASOURCE + " is set"));
        }
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (beanFactory == null) {
            return ConditionOutcome.noMatch(message.because("no bean factory"));
        }
        if (ConditionEvaluationReport.get(beanFactory).getExclusions().contains(HIBERNATE_JPA_AUTO_CONFIGURATION)) {
            return ConditionOutcome.noMatch(message.because("the application excludes " + HIBERNATE_JPA_AUTO_CONFIGURATION));
        }
        if (EntityPackages.of(beanFactory).isEmpty()) {
            return ConditionOutcome.noMatch(message.because("no @EntityScan and no auto-configuration packages to scan"));
        }
        if (!EntityPackages.hasEntity(EntityPackages.managedClasses(beanFactory, context.getResourceLoader()))) {
            return ConditionOutcome.noMatch(message.because("no @Entity in " + EntityPackages.of(beanFactory)));
        }
        return ConditionOutcome.match(message.found("entities in").items(EntityPackages.of(beanFactory)));
    }
}
