package io.dbcomposite.internal.config;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How one side connects: a JDBC URL with credentials, a {@link DataSource} instance, or a JNDI name.
 *
 * <p>A spec never keeps a secret in its URL. Whatever the URL carries is taken out when the spec is created,
 * because the URL travels on: into the pool, into the driver's {@code DatabaseMetaData.getURL()} (which
 * Hibernate logs at bootstrap), into driver error messages and into this spec's {@code toString()}.
 * <ul>
 *   <li>user-info ({@code jdbc:mysql://user:secret@host/db}, percent-decoded) moves to {@link #user()} and
 *       {@link #password()};</li>
 *   <li>Oracle's {@code jdbc:oracle:thin:user/secret@host...} moves to {@link #user()} and {@link #password()};</li>
 *   <li>a {@code password} parameter, in the query ({@code ?a=b&password=secret}) or in the
 *       {@code ;password=secret} style, moves to {@link #password()};</li>
 *   <li>any other parameter whose name contains {@code password} (such as pgjdbc's {@code sslpassword} or a key
 *       store password) or is {@code pwd} moves to {@link #secretProperties()} under its own name.</li>
 * </ul>
 * A user or password given explicitly (the {@code dbcomposite.*.user} / {@code .password} settings) wins over one
 * found in the URL; the URL's is dropped either way. Query values are percent-decoded for the drivers that decode
 * them themselves (PostgreSQL and MySQL); other drivers' values move as written.
 *
 * @param side "local" or "remote", for messages
 * @param url the JDBC URL without any secret, or null
 * @param user the user, or null
 * @param password the password, or null
 * @param dataSource a ready data source, or null
 * @param jndiName a JNDI name to look a data source up by, or null
 * @param secretProperties secret driver properties other than the password, taken out of the URL: a pool opened
 *        from {@link #url()} must pass them to the driver as connection properties; never null
 */
public record ConnectionSpec(String side, String url, String user, String password, DataSource dataSource,
                             String jndiName, Map<String, String> secretProperties) {

    /** Takes the secrets out of {@code url}; see the type's documentation for which and where to. */
    public ConnectionSpec {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (url != null) {
            UrlSecrets found = UrlSecrets.extract(url);
            url = found.url();
            user = user != null ? user : found.user();
            password = password != null ? password : found.password();
            secrets.putAll(found.properties());
        }
        if (secretProperties != null) {
            secrets.putAll(secretProperties);
        }
        secretProperties = Collections.unmodifiableMap(secrets);
    }

    /**
     * A spec without secret properties of its own (those in the URL are still taken out).
     *
     * @see #of(String, String, String, String, DataSource, String)
     */
    public ConnectionSpec(String side, String url, String user, String password, DataSource dataSource, String jndiName) {
        this(side, url, user, password, dataSource, jndiName, Map.of());
    }

    /**
     * @param side "local" or "remote"
     * @param url the JDBC URL as configured (secrets in it are taken out), or null
     * @param user the explicitly configured user (wins over one in the URL), or null
     * @param password the explicitly configured password (wins over one in the URL), or null
     * @param dataSource a ready data source, or null
     * @param jndiName a JNDI name, or null
     * @return the spec, its URL free of secrets
     */
    public static ConnectionSpec of(String side, String url, String user, String password, DataSource dataSource,
                                    String jndiName) {
        return new ConnectionSpec(side, url, user, password, dataSource, jndiName, Map.of());
    }

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

    /** @return what this spec connects to, without the password or any other secret */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ConnectionSpec[side=").append(side).append(", ").append(describe());
        if (user != null) {
            s.append(", user=").append(user);
        }
        if (password != null) {
            s.append(", password=***");
        }
        if (!secretProperties.isEmpty()) {
            s.append(", secret properties ").append(secretProperties.keySet());
        }
        return s.append(']').toString();
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

    /**
     * Removes credentials from a JDBC URL, or from any text that may contain one (a driver's error message):
     * {@code user:pass@} user-info, Oracle's {@code user/pass@}, and the values of user, password and other
     * password-like parameters.
     *
     * @param url a URL or a message, or null
     * @return the text without credentials, or null
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        // greedy up to the last '@' of the authority, so a password holding a raw '@' goes entirely
        String s = url.replaceAll("//[^/?;\\s]*@", "//");
        s = s.replaceAll("(?i)(jdbc:oracle:[a-z0-9]+:)[^@\\s]*@", "$1@");
        // a value in braces (SQL Server's escape for ';' inside a value) goes whole
        return s.replaceAll("(?i)((?:[a-z0-9_.-]*password|pwd|user|username)=)(\\{(?:[^}]|\\}\\})*\\}|[^&;]*)", "$1***");
    }

    /** What {@link #extract} found in a URL: the URL without secrets and the secrets by destination. */
    private record UrlSecrets(String url, String user, String password, Map<String, String> properties) {

        static UrlSecrets extract(String url) {
            String user = null;
            String password = null;
            String rest = url;

            if (rest.regionMatches(true, 0, "jdbc:oracle:", 0, "jdbc:oracle:".length())) {
                // jdbc:oracle:thin:user/secret@host... (a quoted password may hold '@' or '/')
                int typeEnd = rest.indexOf(':', "jdbc:oracle:".length());
                int at = typeEnd < 0 ? -1 : indexOfUnquoted(rest, typeEnd + 1, '@');
                if (at > typeEnd + 1) {
                    String info = rest.substring(typeEnd + 1, at);
                    int slash = indexOfUnquoted(info, 0, '/');
                    user = emptyToNull(unquote(slash < 0 ? info : info.substring(0, slash)));
                    password = slash < 0 ? null : unquote(info.substring(slash + 1));
                    rest = rest.substring(0, typeEnd + 1) + rest.substring(at);
                }
            } else if (rest.contains("//")) {
                int start = rest.indexOf("//") + 2;
                int end = indexOfAny(rest, start, "/?;");
                if (end < 0) {
                    end = rest.length();
                }
                // the last '@' of the authority, so a password holding a raw '@' moves whole
                int at = end > start ? rest.lastIndexOf('@', end - 1) : -1;
                if (at >= start) {
                    String info = rest.substring(start, at);
                    int colon = info.indexOf(':');
                    user = emptyToNull(percentDecode(colon < 0 ? info : info.substring(0, colon)));
                    password = colon < 0 ? null : percentDecode(info.substring(colon + 1));
                    rest = rest.substring(0, start) + rest.substring(at + 1);
                }
            }

            Map<String, String> properties = new LinkedHashMap<>();
            String lower = rest.toLowerCase(Locale.ROOT);
            boolean decodesQuery = lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:mysql:");
            int first = indexOfAny(rest, 0, ";?");
            if (first < 0) {
                return new UrlSecrets(rest, user, password, properties);
            }
            StringBuilder kept = new StringBuilder(rest.substring(0, first));
            boolean inQuery = false;
            boolean queryWritten = false;
            int pos = first;
            while (pos < rest.length()) {
                char delimiter = rest.charAt(pos);
                inQuery |= delimiter == '?';
                int start = pos + 1;
                int end = inQuery ? indexOfAny(rest, start, "&") : endOfSemicolonParameter(rest, start);
                if (end < 0) {
                    end = rest.length();
                }
                String parameter = rest.substring(start, end);
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq).trim();
                if (eq > 0 && isSecret(name)) {
                    String raw = parameter.substring(eq + 1);
                    String value = inQuery ? (decodesQuery ? formDecode(raw) : raw) : unbrace(raw);
                    if (name.equalsIgnoreCase("password")) {
                        password = value;
                    } else {
                        properties.put(name, value);
                    }
                } else if (inQuery) {
                    // the first parameter kept after '?' must open the query even if the original first one was dropped
                    kept.append(queryWritten ? '&' : '?').append(parameter);
                    queryWritten = true;
                } else {
                    kept.append(delimiter).append(parameter);
                }
                pos = end;
            }
            return new UrlSecrets(kept.toString(), user, password, properties);
        }

        private static boolean isSecret(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return n.equals("pwd") || n.contains("password");
        }

        /** The next ';' or '?' at or after {@code from}, skipping a value in braces; -1 if none. */
        private static int endOfSemicolonParameter(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '{' && i > from && s.charAt(i - 1) == '=') {
                    int close = closingBrace(s, i + 1);
                    if (close < 0) {
                        return -1;
                    }
                    i = close;
                } else if (c == ';' || c == '?') {
                    return i;
                }
            }
            return -1;
        }

        private static int closingBrace(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) == '}') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '}') {
                        i++;
                    } else {
                        return i;
                    }
                }
            }
            return -1;
        }

        private static String unbrace(String value) {
            if (value.length() >= 2 && value.startsWith("{") && value.endsWith("}")) {
                return value.substring(1, value.length() - 1).replace("}}", "}");
            }
            return value;
        }

        private static int indexOfAny(String s, int from, String chars) {
            for (int i = from; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }

        private static int indexOfUnquoted(String s, int from, char wanted) {
            boolean quoted = false;
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == wanted && !quoted) {
                    return i;
                }
            }
            return -1;
        }

        private static String unquote(String s) {
            return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        /** pgjdbc and MySQL Connector/J read query values as form-encoded ({@code +} is a space). */
        private static String formDecode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return s;
            }
        }

        /** User-info is percent-encoded as in any URI ({@code +} stays a plus); a malformed escape stays as written. */
        private static String percentDecode(String s) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int run = 0;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '%' && i + 2 < s.length()
                        && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    bytes.writeBytes(s.substring(run, i).getBytes(StandardCharsets.UTF_8));
                    bytes.write(Integer.parseInt(s, i + 1, i + 3, 16));
                    i += 2;
                    run = i + 1;
                }
            }
            bytes.writeBytes(s.substring(run).getBytes(StandardCharsets.UTF_8));
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
