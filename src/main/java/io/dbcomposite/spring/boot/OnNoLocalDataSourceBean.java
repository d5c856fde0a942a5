package io.dbcomposite.spring.boot;

import io.dbcomposite.CompositeSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.List;

/**
 * Matches when the application defines no {@code DataSource} bean of its own, the one {@code dbcomposite.remote.datasource}
 * names excepted: the remote's pool must not become the context's data source (JDBC, SQL scripts, Quartz's job store
 * and the {@code db} health check would go to the remote).
 */
final class OnNoLocalDataSourceBean extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("db-composite local DataSource");
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (beanFactory == null) {
            return ConditionOutcome.noMatch(message.because("no bean factory"));
        }
        String remote = context.getEnvironment().getProperty(CompositeSettings.REMOTE_DATASOURCE);
        List<String> others = Arrays.stream(beanFactory.getBeanNamesForType(DataSource.class, true, false))
                .filter(name -> !name.equals(remote)).toList();
        return others.isEmpty() ? ConditionOutcome.match(message.because("the application has no DataSource bean of its own"))
                : ConditionOutcome.noMatch(message.found("DataSource bean").items(others));
    }
}
