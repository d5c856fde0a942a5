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
