package io.dbcomposite.internal.boot;

import io.dbcomposite.CompositeConfigurationException;

/**
 * The Hibernate ORM versions the library runs on: 7.2 (what Spring Boot 4.0 manages) to 7.4 (what it is built with);
 * the build tests both ends. An older one fails the bootstrap with a message naming the version found and what to do,
 * instead of a {@code NoSuchMethodError} on the first write.
 */
public final class HibernateVersion {

    /** The oldest supported minor version of Hibernate ORM 7. */
    static final int OLDEST_MINOR = 2;

    private HibernateVersion() {
    }

    /** @return the version of the Hibernate ORM on the class path */
    static String found() {
        return org.hibernate.Version.getVersionString();
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
            throw new CompositeConfigurationException("db-composite needs Hibernate ORM 7." + OLDEST_MINOR + " or later (it is"
                    + " tested on 7.2 and 7.4); the class path has Hibernate ORM " + version + ". Depend on"
                    + " org.hibernate.orm:hibernate-core 7.2 or later (with Maven, set the version, e.g. the hibernate.version"
                    + " property under Spring Boot); in an application server that provides an older one, bundle it with the"
                    + " application (WildFly: jboss.as.jpa.providerModule=application, see the README, \"Jakarta EE\")");
        }
    }
}
