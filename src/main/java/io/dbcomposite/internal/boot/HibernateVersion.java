package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;

/**
 * The Hibernate ORM versions the library runs on: 7.4, what it is built and tested with. An older one fails the
 * bootstrap with a message naming the version found and what to do, instead of a {@code NoSuchMethodError} on the first
 * write or, worse, a silent difference between the two databases: on 7.2 (what Spring Boot 4.0 manages) the code runs,
 * but the test suite finds divergences ({@code mvn -B verify -Phibernate-7.2}), so it is refused until they are fixed.
 * The system property {@value #UNTESTED} lets an older 7.x start with a warning instead, at the application's own risk.
 */
public final class HibernateVersion {

    /** The oldest supported minor version of Hibernate ORM 7. */
    static final int OLDEST_MINOR = 4;

    /** System property: {@code true} starts on an older Hibernate ORM 7.x with a warning instead of failing. */
    public static final String UNTESTED = "dbcomposite.hibernate.untested";

    private static final System.Logger LOG = System.getLogger("io.dbcomposite.boot");

    private HibernateVersion() {
    }

    /** The minor version of the Hibernate ORM 7 on the class path; a version string of a build of its own counts as the newest. */
    private static final int RUNNING_MINOR = minorOf(found());

    /** @return the version of the Hibernate ORM on the class path */
    static String found() {
        return org.hibernate.Version.getVersionString();
    }

    /**
     * Where the library works around what an older Hibernate ORM 7 does differently, it asks this, so the version
     * dependent code stays behind one check.
     *
     * @param minor a minor version of Hibernate ORM 7, such as 4
     * @return whether the Hibernate ORM on the class path is 7.{@code minor} or later
     */
    public static boolean runningAtLeast(int minor) {
        return RUNNING_MINOR >= minor;
    }

    static int minorOf(String version) {
        String[] parts = version == null ? new String[0] : version.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 7 ? Integer.MAX_VALUE : major < 7 ? -1 : minor;
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * @param version a Hibernate ORM version string, such as {@code 7.1.11.Final}
     * @throws CompositeConfigurationException if it is older than 7.2, naming it and the way out
     */
    public static void check(String version) {
        String[] parts = version == null ? new String[0] : version.split("[.-]");
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return; // a version string of a build of its own: nothing to judge
        }
        if (major < 7 || (major == 7 && minor < OLDEST_MINOR)) {
            String problem = "db-composite is built and tested on Hibernate ORM 7." + OLDEST_MINOR + "; the class path has"
                    + " Hibernate ORM " + version;
            if (major == 7 && minor >= 2 && Boolean.getBoolean(UNTESTED)) {
                LOG.log(System.Logger.Level.WARNING, problem + ", which runs but is not supported (" + UNTESTED + "=true):"
                        + " the test suite finds values and statements that differ between the two databases on it");
                return;
            }
            throw new CompositeConfigurationException(problem + ". Depend on org.hibernate.orm:hibernate-core 7."
                    + OLDEST_MINOR + " (under Spring Boot 4.0, which manages 7.2, set the Maven property hibernate.version to"
                    + " 7.4.15.Final, or the Gradle extra property of the same name); in an application server that provides"
                    + " an older one, bundle 7." + OLDEST_MINOR + " with the application (WildFly:"
                    + " jboss.as.jpa.providerModule=application, see the README, \"Jakarta EE\")");
        }
    }
}
