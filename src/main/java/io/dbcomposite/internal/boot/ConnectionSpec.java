package io.dbcomposite.internal.boot;

import javax.sql.DataSource;

/**
 * How one side connects: a JDBC URL with credentials, a {@link DataSource} instance, or a JNDI name.
 *
 * @param side "local" or "remote", for messages
 * @param url the JDBC URL, or null
 * @param user the user, or null
 * @param password the password, or null
 * @param dataSource a ready data source, or null
 * @param jndiName a JNDI name to look a data source up by, or null
 */
public record ConnectionSpec(String side, String url, String user, String password, DataSource dataSource, String jndiName) {

    /** @return the URL without user, password or other secrets, safe for messages and logs */
    public String describe() {
        if (dataSource != null) {
            return "DataSource " + dataSource.getClass().getName();
        }
        if (jndiName != null) {
            return "JNDI DataSource " + jndiName;
        }
        return redact(url);
    }

    /**
     * @return a name of the database this side opens that every JVM using it computes alike: the real path of
     *         a SQLite file (however the URL spells it), else the URL without credentials
     */
    public String storeIdentity() {
        if (isSqlite()) {
            String path = url.substring("jdbc:sqlite:".length());
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
            if (!path.isEmpty() && !path.startsWith(":memory:")) {
                java.nio.file.Path p = java.nio.file.Path.of(path).toAbsolutePath().normalize();
                try {
                    return "sqlite:" + p.toRealPath();
                } catch (java.io.IOException notYetThere) {
                    return "sqlite:" + p;
                }
            }
        }
        return describe();
    }

    /** @return true when this side is SQLite */
    public boolean isSqlite() {
        return url != null && url.startsWith("jdbc:sqlite:");
    }

    /** Removes credentials from a JDBC URL: {@code user:pass@} user-info and {@code password=}/{@code user=} parameters. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String s = url.replaceAll("//[^/@?;]*@", "//");
        return s.replaceAll("(?i)((?:password|pwd|user|username|sslpassword)=)[^&;]*", "$1***");
    }
}
