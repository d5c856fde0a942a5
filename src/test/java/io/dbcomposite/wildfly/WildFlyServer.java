package io.dbcomposite.wildfly;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A WildFly started by a test: the server the build unpacked (system property {@code dbcomposite.wildfly.home}), with a
 * server base of its own (a copy of {@code standalone/}, so runs never share state), a port offset found free, a
 * PostgreSQL driver module and a transactional data source of the test's, and deployments through the deployment
 * scanner's marker files.
 */
final class WildFlyServer implements AutoCloseable {

    /** The unpacked server. */
    static Path home() {
        String home = System.getProperty("dbcomposite.wildfly.home");
        if (home == null || !Files.isDirectory(Path.of(home))) {
            throw new IllegalStateException("No unpacked WildFly at '" + home + "' (system property dbcomposite.wildfly.home):"
                    + " the build unpacks org.wildfly:wildfly-preview-dist in process-test-resources; run the tests with Maven");
        }
        return Path.of(home);
    }

    final Path base;
    final int offset;
    private Process process;

    private WildFlyServer(Path base, int offset) {
        this.base = base;
        this.offset = offset;
    }

    /**
     * Prepares a server base: a copy of {@code standalone/configuration}, a data source {@code java:jboss/datasources/RemoteDS}
     * for the given PostgreSQL URL, a deployment scanner that looks every 500 ms.
     */
    static WildFlyServer prepare(String postgresUrl, String user, String password) throws IOException {
        Path home = home();
        installPostgresModule(home);
        Path base = Files.createTempDirectory("dbcomposite-wildfly");
        copy(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Path config = base.resolve("configuration/standalone.xml");
        String xml = Files.readString(config);
        String driver = "<driver name=\"postgresql\" module=\"org.postgresql\">"
                + "<xa-datasource-class>org.postgresql.xa.PGXADataSource</xa-datasource-class></driver>";
        String dataSource = "<datasource jndi-name=\"java:jboss/datasources/RemoteDS\" pool-name=\"RemoteDS\" enabled=\"true\""
                + " use-java-context=\"true\"><connection-url>" + xmlEscape(postgresUrl) + "</connection-url>"
                + "<driver>postgresql</driver><pool><min-pool-size>0</min-pool-size><max-pool-size>10</max-pool-size></pool>"
                + "<security user-name=\"" + xmlEscape(user) + "\"" + (password == null || password.isEmpty() ? "" : " password=\"" + xmlEscape(password) + "\"")
                + "/><validation><valid-connection-checker class-name=\"org.jboss.jca.adapters.jdbc.extensions.postgres.PostgreSQLValidConnectionChecker\"/>"
                + "<validate-on-match>true</validate-on-match><background-validation>false</background-validation>"
                + "<exception-sorter class-name=\"org.jboss.jca.adapters.jdbc.extensions.postgres.PostgreSQLExceptionSorter\"/>"
                + "</validation><timeout><blocking-timeout-millis>5000</blocking-timeout-millis></timeout></datasource>";
        xml = replaceOnce(xml, "<drivers>", "<drivers>" + driver);
        xml = replaceOnce(xml, "<datasources>", "<datasources>" + dataSource);
        xml = replaceOnce(xml, "scan-interval=\"5000\"", "scan-interval=\"500\"");
        Files.writeString(config, xml);
        return new WildFlyServer(base, freeOffset());
    }

    /** The PostgreSQL driver as a module of the server (the driver jar the tests run with). */
    private static void installPostgresModule(Path home) throws IOException {
        Path dir = home.resolve("modules/org/postgresql/main");
        Path jar;
        try {
            jar = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(dir);
        Files.copy(jar, dir.resolve("postgresql.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("module.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <module xmlns="urn:jboss:module:1.9" name="org.postgresql">
                  <resources><resource-root path="postgresql.jar"/></resources>
                  <dependencies><module name="java.se"/><module name="jakarta.transaction.api"/></dependencies>
                </module>
                """);
    }

    /** Starts the server; returns once its management port answers (deployments go on by themselves). */
    void start() throws IOException {
        Path home = home();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1");
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        pb.environment().put("JBOSS_PIDFILE", base.resolve("server.pid").toString());
        pb.environment().put("JAVA_OPTS", "-Xms128m -Xmx768m -XX:MaxMetaspaceSize=768m -Djava.net.preferIPv4Stack=true"
                + " -Djava.awt.headless=true -XX:TieredStopAtLevel=1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(base.resolve("console.log").toFile());
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
    }

    int httpPort() {
        return 8080 + offset;
    }

    /** Writes a WAR into the deployments folder (the scanner deploys it) and waits until it is deployed. */
    void deploy(String name, War war, Duration timeout) throws IOException {
        Path deployments = base.resolve("deployments");
        war.writeTo(deployments.resolve(name));
        awaitMarker(name, ".deployed", timeout);
    }

    /** Undeploys a deployed archive (the scanner sees its marker go) and waits until it is undeployed. */
    void undeploy(String name, Duration timeout) throws IOException {
        Files.deleteIfExists(base.resolve("deployments").resolve(name + ".deployed"));
        awaitMarker(name, ".undeployed", timeout);
    }

    /** Deploys an undeployed archive again. */
    void redeploy(String name, Duration timeout) throws IOException {
        Path deployments = base.resolve("deployments");
        Files.deleteIfExists(deployments.resolve(name + ".undeployed"));
        Files.writeString(deployments.resolve(name + ".dodeploy"), name);
        awaitMarker(name, ".deployed", timeout);
    }

    private void awaitMarker(String name, String marker, Duration timeout) throws IOException {
        Path deployments = base.resolve("deployments");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(name + marker))) {
                return;
            }
            Path failed = deployments.resolve(name + ".failed");
            if (Files.exists(failed)) {
                throw new AssertionError("Deployment of " + name + " failed: " + Files.readString(failed) + "\n" + logTail());
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("The server stopped:\n" + logTail());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError("No " + marker + " marker for " + name + " within " + timeout + "\n" + logTail());
    }

    /** The end of the server's log, for failure messages. */
    String logTail() {
        Path log = base.resolve("log/server.log");
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : Files.readAllLines(base.resolve("console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The server's log, whole. */
    String log() throws IOException {
        return Files.readString(base.resolve("log/server.log"));
    }

    /** Stops the server (SIGTERM to its launcher, which stops the server JVM), killing it if it does not stop. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        killByPidFile();
    }

    private void kill() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void killByPidFile() {
        try {
            Path pid = base.resolve("server.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to stop
        }
    }

    /**
     * @return a port offset whose four ports (8080, 8443, 9990, 9993 plus it) are free and below the range the system
     *     gives client sockets their local ports from (32768 and up on Linux): a port found free there could be taken
     *     by an outgoing connection (to PostgreSQL, say) before the server binds it ("Address already in use", seen in
     *     a loaded CI run)
     */
    private static int freeOffset() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int offset = random.nextInt(1000, 22000);
            if (free(8080 + offset) && free(9990 + offset) && free(8443 + offset) && free(9993 + offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("No free port offset found for the server");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        if (at < 0) {
            throw new IllegalStateException("The server configuration has no '" + what + "'");
        }
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A web archive assembled from files and folders. */
    static final class War {
        private final List<String> names = new ArrayList<>();
        private final List<Object> contents = new ArrayList<>();

        /** Adds a file's bytes, or every file under a folder (named below {@code prefix}, filtered by {@code under}). */
        War add(String name, byte[] content) {
            names.add(name);
            contents.add(content);
            return this;
        }

        War add(String name, String content) {
            return add(name, content.getBytes(StandardCharsets.UTF_8));
        }

        War addFile(String name, Path file) {
            names.add(name);
            contents.add(file);
            return this;
        }

        /** Every file under {@code root}/{@code under}, as {@code prefix} + its path below {@code root}. */
        War addTree(String prefix, Path root, String under) {
            Path start = root.resolve(under);
            if (!Files.isDirectory(start)) {
                throw new IllegalStateException("No folder " + start);
            }
            try (var files = Files.walk(start)) {
                files.filter(Files::isRegularFile).forEach(f -> addFile(prefix + root.relativize(f).toString().replace('\\', '/'), f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** A jar of every file under a folder, as one entry. */
        War addJarOf(String name, Path root) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (ZipOutputStream jar = new ZipOutputStream(bytes); var files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    jar.putNextEntry(new ZipEntry(root.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, jar);
                    jar.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return add(name, bytes.toByteArray());
        }

        void writeTo(Path target) throws IOException {
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (int i = 0; i < names.size(); i++) {
                    zip.putNextEntry(new ZipEntry(names.get(i)));
                    Object c = contents.get(i);
                    if (c instanceof byte[] b) {
                        zip.write(b);
                    } else {
                        Files.copy((Path) c, zip);
                    }
                    zip.closeEntry();
                }
            }
            // the scanner must never see half an archive
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
