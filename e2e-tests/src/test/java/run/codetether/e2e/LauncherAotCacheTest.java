package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 19 and 16: the launcher gives every service a JDK AOT cache recorded by the first start of a build and
 * loaded by the next. A copy of the real launcher starts real JVMs with its real flags; each part is a small program
 * in a jar where the packaged service would be (the launcher's readiness check answered, SIGTERM stopping it), so that
 * the recording stop, the cache's name and its use are what is tested, not the services' boot. The proof that a start
 * USES its cache is the JVM's own: the second start runs with {@code JAVA_TOOL_OPTIONS=-XX:AOTMode=on}, under which a
 * JVM given a cache it cannot map refuses to start, and its command line must name the cache file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherAotCacheTest {

    private static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("tools", "tools-service");
        PARTS.put("router", "router-service");
        PARTS.put("agent", "agent-service");
        PARTS.put("swarm", "swarm-service");
        PARTS.put("gateway", "gateway-service");
    }

    private static final String PART_SOURCE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.net.ServerSocket;
            public class FakePart {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
                    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    http.createContext("/q/health/ready", x -> {
                        byte[] body = "{\\"status\\": \\"UP\\"}".getBytes();
                        x.sendResponseHeaders(200, body.length);
                        x.getResponseBody().write(body);
                        x.close();
                    });
                    http.start();
                    String grpc = System.getProperty("quarkus.grpc.server.port");
                    ServerSocket second = grpc == null ? null : new ServerSocket(Integer.parseInt(grpc));
                    System.out.println("ready on " + port + (second == null ? "" : " and " + grpc));
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    private static final String KAFKA_SOURCE = """
            package run.codetether.fixtures.kafka;
            public class LocalKafkaMain {
                public static void main(String[] args) throws Exception {
                    java.net.ServerSocket broker = new java.net.ServerSocket(Integer.parseInt(args[1]));
                    System.out.println("KAFKA READY");
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    @TempDir
    static Path root;

    private static final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void launcherAndParts() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25 (JEP 514/515)");
        Path repo = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Files.copy(repo.resolve("codetether"), root.resolve("codetether"));
        root.resolve("codetether").toFile().setExecutable(true);
        // the wrapper's properties are generated on first use (they name a download host): present, so none is made
        Files.createDirectories(root.resolve(".mvn/wrapper"));
        Files.writeString(root.resolve(".mvn/wrapper/maven-wrapper.properties"), "");

        Path src = Files.createDirectories(root.resolve("src"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        Files.writeString(src.resolve("FakePart.java"), PART_SOURCE);
        Files.createDirectories(src.resolve("run/codetether/fixtures/kafka"));
        Files.writeString(src.resolve("run/codetether/fixtures/kafka/LocalKafkaMain.java"), KAFKA_SOURCE);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.resolve("FakePart.java").toString(),
                src.resolve("run/codetether/fixtures/kafka/LocalKafkaMain.java").toString());
        assertEquals(0, rc, "compiling the stand-in parts");
        for (String module : PARTS.values()) {
            jar(root.resolve(module + "/target/quarkus-app/quarkus-run.jar"), "FakePart", classes, "FakePart.class");
        }
        jar(root.resolve("test-fixtures/target/test-fixtures-0.jar"), null, classes,
                "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        jar(root.resolve("test-fixtures/target/lib/kafka_2.13-0.jar"), null, classes);
        jar(root.resolve("cli/target/cli-0-runner.jar"), null, classes);

        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", root.resolve("home").toString());
        env.put("CODETETHER_UP_TIMEOUT", "180");
        env.put("CODETETHER_KAFKA_PORT", String.valueOf(freePort()));
        env.put("CODETETHER_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("CODETETHER_TOOLS_GRPC_PORT", String.valueOf(freePort()));
        env.put("CODETETHER_ROUTER_GRPC_PORT", String.valueOf(freePort()));
        env.put("CODETETHER_GATEWAY_GRPC_PORT", String.valueOf(freePort()));
        for (String part : PARTS.keySet()) {
            env.put("CODETETHER_" + part.toUpperCase() + "_PORT", String.valueOf(freePort()));
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (root == null || !Files.exists(root.resolve("codetether"))) {
            return;
        }
        launcher(Map.of(), "down");
    }

    @Test
    @Order(1)
    void theFirstStartOfABuildRecordsItsCacheOnStopAndTheNextStartUsesIt() throws Exception {
        Result up = launcher(Map.of(), "up");
        assertEquals(0, up.exit(), up.toString());
        for (String part : PARTS.keySet()) {
            String cmd = cmdline(part);
            assertTrue(cmd.contains("-XX:AOTCacheOutput="), part + " records on its first start: " + cmd);
            assertFalse(cmd.contains("-XX:AOTCache="), part + ": " + cmd);
            assertTrue(caches(part).isEmpty(), part + ": no cache before the recording start stopped");
        }

        Result down = launcher(Map.of(), "down");
        assertEquals(0, down.exit(), down.toString());
        for (String part : PARTS.keySet()) {
            assertTrue(down.out().contains(part + ": start-up cache written"), down.toString());
            assertEquals(1, caches(part).size(), part + ": " + caches(part));
            assertTrue(Files.size(caches(part).get(0)) > 1_000_000, part + ": a whole cache");
        }
        assertNoPartFiles();

        Result again = launcher(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "up");
        assertEquals(0, again.exit(), "every part starts with AOTMode=on, i.e. maps its cache: " + again);
        for (String part : PARTS.keySet()) {
            String cmd = cmdline(part);
            assertFalse(cmd.contains("AOTCacheOutput"), part + " records no cache again: " + cmd);
            List<Path> cache = caches(part);
            assertEquals(1, cache.size(), part + " keeps its cache: " + cache);
            assertTrue(cmd.contains("-XX:AOTCache=" + cache.get(0)), part + " uses its cache: " + cmd);
        }

        // another build (the jar rewritten): the old cache is ignored and deleted, a new one recorded and then used
        Path gatewayCache = caches("gateway").get(0);
        Path jar = root.resolve("gateway-service/target/quarkus-app/quarkus-run.jar");
        jar(jar, "FakePart", root.resolve("classes"), "FakePart.class", "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Result rebuilt = launcher(Map.of(), "restart", "gateway");
        assertEquals(0, rebuilt.exit(), rebuilt.toString());
        assertTrue(cmdline("gateway").contains("-XX:AOTCacheOutput="), cmdline("gateway"));
        assertFalse(Files.exists(gatewayCache), "the other build's cache is gone");
        Result used = launcher(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "restart", "gateway");
        assertEquals(0, used.exit(), used.toString());
        assertTrue(used.out().contains("gateway: start-up cache written"), used.toString());
        assertNotEquals(gatewayCache, caches("gateway").get(0));
        assertTrue(cmdline("gateway").contains("-XX:AOTCache=" + caches("gateway").get(0)), cmdline("gateway"));

        // a cache the JVM refuses (damaged here): that start runs without it, the next one records a new one
        Path agentCache = caches("agent").get(0);
        byte[] whole = Files.readAllBytes(agentCache);
        Files.write(agentCache, java.util.Arrays.copyOf(whole, 100_000));
        Result refused = launcher(Map.of(), "restart", "agent");
        assertEquals(0, refused.exit(), "a refused cache is never an error: " + refused);
        assertTrue(Files.readString(root.resolve("agent-service/target/startup/agent-aot.log")).contains("[error"),
                "the JVM's refusal is kept beside the cache");
        Result rerecord = launcher(Map.of(), "restart", "agent");
        assertEquals(0, rerecord.exit(), rerecord.toString());
        assertTrue(rerecord.out().contains("agent: its start-up cache was refused by the JVM"), rerecord.toString());
        assertTrue(cmdline("agent").contains("-XX:AOTCacheOutput="), cmdline("agent"));
        Result mended = launcher(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "restart", "agent");
        assertEquals(0, mended.exit(), mended.toString());
        assertTrue(cmdline("agent").contains("-XX:AOTCache="), cmdline("agent"));

        // the off switch
        Result off = launcher(Map.of("CODETETHER_NO_AOT", "1"), "restart", "swarm");
        assertEquals(0, off.exit(), off.toString());
        assertFalse(cmdline("swarm").contains("AOTCache"), cmdline("swarm"));
    }

    @Test
    @Order(2)
    void aRecordingStartThatIsKilledLeavesNoCacheAndTheNextStartRecordsAgain() throws Exception {
        // after the first case: every part runs; the router's jar rewritten brings it to a recording start
        Path jar = root.resolve("router-service/target/quarkus-app/quarkus-run.jar");
        Result up = launcher(Map.of(), "up");
        assertEquals(0, up.exit(), up.toString());
        jar(jar, "FakePart", root.resolve("classes"), "FakePart.class", "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 9_000));
        Result rec = launcher(Map.of(), "restart", "router");
        assertEquals(0, rec.exit(), rec.toString());
        assertTrue(cmdline("router").contains("-XX:AOTCacheOutput="), cmdline("router"));
        long pid = Long.parseLong(Files.readString(root.resolve(".codetether/pids/router.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertTrue(caches("router").isEmpty(), "a killed recording start writes no cache: " + caches("router"));
        Result next = launcher(Map.of(), "up");
        assertEquals(0, next.exit(), next.toString());
        assertTrue(cmdline("router").contains("-XX:AOTCacheOutput="), "records again: " + cmdline("router"));
    }

    private static void assertNoPartFiles() throws IOException {
        for (String module : PARTS.values()) {
            try (Stream<Path> files = Files.list(root.resolve(module + "/target/startup"))) {
                List<Path> parts = files.filter(p -> p.getFileName().toString().contains(".part")).toList();
                assertTrue(parts.isEmpty(), parts.toString());
            }
        }
    }

    private static List<Path> caches(String part) throws IOException {
        Path dir = root.resolve(PARTS.get(part) + "/target/startup");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(part + "-\\d+\\.aot")).toList();
        }
    }

    private static String cmdline(String part) throws IOException {
        String pid = Files.readString(root.resolve(".codetether/pids/" + part + ".pid")).trim();
        byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
        return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static void jar(Path jar, String main, Path classes, String... entries) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (main != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            List<String> seen = new ArrayList<>();
            for (String entry : entries) {
                if (seen.contains(entry)) {
                    continue;
                }
                seen.add(entry);
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(classes.resolve(entry)));
                out.closeEntry();
            }
        }
    }

    /** The parts are down between a stop and the next start: a port from below the ephemeral range stays free. */
    private static int freePort() throws IOException {
        return run.codetether.fixtures.net.LoopbackPorts.free();
    }

    private static Result launcher(Map<String, String> extra, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("codetether").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("CODETETHER_NO_AOT");
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 300 s: " + cmd + "\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {}
}
