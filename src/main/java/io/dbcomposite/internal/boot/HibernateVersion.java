package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;

/**
 * The Hibernate ORM versions the library runs on: 7.2 (what Spring Boot 4.0 manages) to 7.4 (what it is built with);
 * the build runs the whole test suite on both ends. An older one fails the bootstrap with a message naming the version
 * found and what to do, instead of a {@code NoSuchMethodError} on the first write or, worse, a silent difference
 * between the two databases.
 */
public final class HibernateVersion {

    /** The oldest supported minor version of Hibernate ORM 7. */
    static final int OLDEST_MINOR = 2;

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
            throw new CompositeConfigurationException("db-composite runs on Hibernate ORM 7." + OLDEST_MINOR + " to 7.4 (tested"
                    + " with 7.2.19 and 7.4.15); the class path has Hibernate ORM " + version + ". Depend on"
                    + " org.hibernate.orm:hibernate-core 7." + OLDEST_MINOR + " or later (Spring Boot 4.0 manages 7.2); in an"
                    + " application server that provides an older one, bundle a supported one with the application (WildFly:"
                    + " jboss.as.jpa.providerModule=application, see the README, \"Jakarta EE\")");
        }
    }
}
