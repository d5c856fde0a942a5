package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supported Hibernate ORM range, and which end of it this test run is on. */
class HibernateVersionTest {

    @Test
    void the_tests_run_on_the_hibernate_orm_the_build_names_for_this_run() {
        // the build runs the tests twice: on the newest supported Hibernate ORM and on the oldest (pom.xml)
        String expected = System.getProperty("dbcomposite.expected.hibernate");
        assertThat(expected).as("system property dbcomposite.expected.hibernate (set by the build)").isNotBlank();
        assertThat(HibernateVersion.found()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.1.11.Final", "7.0.0.Final", "6.6.5.Final"})
    void an_older_hibernate_orm_fails_the_bootstrap_naming_the_version_and_what_to_do(String version) {
        assertThatThrownBy(() -> HibernateVersion.check(version)).isInstanceOf(CompositeConfigurationException.class)
                .hasMessageContaining(version).hasMessageContaining("runs on Hibernate ORM 7.2 to 7.4")
                .hasMessageContaining("jboss.as.jpa.providerModule=application");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.2.19.Final", "7.2.0.Final", "7.3.6.Final", "7.4.15.Final", "7.4.0.Final", "7.5.0-SNAPSHOT",
            "[WORKING]"})
    void a_supported_or_unknown_version_is_accepted(String version) {
        assertThatCode(() -> HibernateVersion.check(version)).doesNotThrowAnyException();
    }

    @Test
    void the_version_dependent_code_asks_for_the_minor_version_found() {
        assertThat(HibernateVersion.minorOf("7.2.19.Final")).isEqualTo(2);
        assertThat(HibernateVersion.minorOf("7.4.15.Final")).isEqualTo(4);
        assertThat(HibernateVersion.minorOf("8.0.0.Final")).isGreaterThan(4);
        assertThat(HibernateVersion.minorOf("[WORKING]")).isGreaterThan(4);
        String expected = System.getProperty("dbcomposite.expected.hibernate");
        org.junit.jupiter.api.Assumptions.assumeTrue(expected != null);
        assertThat(HibernateVersion.runningAtLeast(4)).isEqualTo(HibernateVersion.minorOf(expected) >= 4);
        assertThat(HibernateVersion.runningAtLeast(2)).isTrue();
    }
}
