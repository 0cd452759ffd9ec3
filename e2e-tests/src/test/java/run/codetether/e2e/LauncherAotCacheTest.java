package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    @TempDir
    static Path root;

    private static LauncherStack stack;

    @BeforeAll
    static void launcherAndParts() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25 (JEP 514/515)");
        stack = new LauncherStack(root);
        stack.env.remove("CODETETHER_NO_AOT"); // the caches are what this class tests
        stack.env.put("CODETETHER_UP_TIMEOUT", "180");
        StandInParts.build(root, PARTS.values());
    }

    @AfterAll
    static void down() throws Exception {
        if (root == null || !Files.exists(root.resolve("codetether"))) {
            return;
        }
        stack.run(Map.of(), "down");
    }

    @Test
    @Order(1)
    void theFirstStartOfABuildRecordsItsCacheOnStopAndTheNextStartUsesIt() throws Exception {
        LauncherStack.Result up = stack.run(Map.of(), "up");
        assertEquals(0, up.exit(), up.toString());
        for (String part : PARTS.keySet()) {
            String cmd = cmdline(part);
            assertTrue(cmd.contains("-XX:AOTCacheOutput="), part + " records on its first start: " + cmd);
            assertFalse(cmd.contains("-XX:AOTCache="), part + ": " + cmd);
            assertTrue(caches(part).isEmpty(), part + ": no cache before the recording start stopped");
        }

        LauncherStack.Result down = stack.run(Map.of(), "down");
        assertEquals(0, down.exit(), down.toString());
        for (String part : PARTS.keySet()) {
            assertTrue(down.out().contains(part + ": start-up cache written"), down.toString());
            assertEquals(1, caches(part).size(), part + ": " + caches(part));
            assertTrue(Files.size(caches(part).get(0)) > 1_000_000, part + ": a whole cache");
        }
        assertNoPartFiles();

        LauncherStack.Result again = stack.run(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "up");
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
        StandInParts.jar(jar, "FakePart", root.resolve("classes"), "FakePart.class", "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        LauncherStack.Result rebuilt = stack.run(Map.of(), "restart", "gateway");
        assertEquals(0, rebuilt.exit(), rebuilt.toString());
        assertTrue(cmdline("gateway").contains("-XX:AOTCacheOutput="), cmdline("gateway"));
        assertFalse(Files.exists(gatewayCache), "the other build's cache is gone");
        LauncherStack.Result used = stack.run(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "restart", "gateway");
        assertEquals(0, used.exit(), used.toString());
        assertTrue(used.out().contains("gateway: start-up cache written"), used.toString());
        assertNotEquals(gatewayCache, caches("gateway").get(0));
        assertTrue(cmdline("gateway").contains("-XX:AOTCache=" + caches("gateway").get(0)), cmdline("gateway"));

        // a cache the JVM refuses (damaged here): that start runs without it, the next one records a new one
        Path agentCache = caches("agent").get(0);
        byte[] whole = Files.readAllBytes(agentCache);
        Files.write(agentCache, java.util.Arrays.copyOf(whole, 100_000));
        LauncherStack.Result refused = stack.run(Map.of(), "restart", "agent");
        assertEquals(0, refused.exit(), "a refused cache is never an error: " + refused);
        assertTrue(Files.readString(root.resolve("agent-service/target/startup/agent-aot.log")).contains("[error"),
                "the JVM's refusal is kept beside the cache");
        LauncherStack.Result rerecord = stack.run(Map.of(), "restart", "agent");
        assertEquals(0, rerecord.exit(), rerecord.toString());
        assertTrue(rerecord.out().contains("agent: its start-up cache was refused by the JVM"), rerecord.toString());
        assertTrue(cmdline("agent").contains("-XX:AOTCacheOutput="), cmdline("agent"));
        LauncherStack.Result mended = stack.run(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "restart", "agent");
        assertEquals(0, mended.exit(), mended.toString());
        assertTrue(cmdline("agent").contains("-XX:AOTCache="), cmdline("agent"));

        // the services' JIT setting is one of the start flags: C1 only records a cache of another name and uses it
        Path tieredCache = caches("agent").get(0);
        LauncherStack.Result c1 = stack.run(Map.of("CODETETHER_SERVICE_JIT", "c1"), "restart", "agent");
        assertEquals(0, c1.exit(), c1.toString());
        assertTrue(cmdline("agent").contains("-XX:TieredStopAtLevel=1")
                && cmdline("agent").contains("-XX:AOTCacheOutput="), "C1 only records its own: " + cmdline("agent"));
        LauncherStack.Result c1Used = stack.run(Map.of("CODETETHER_SERVICE_JIT", "c1",
                "JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "restart", "agent");
        assertEquals(0, c1Used.exit(), c1Used.toString());
        assertNotEquals(tieredCache, caches("agent").get(0), "the setting names another cache");
        assertTrue(cmdline("agent").contains("-XX:AOTCache=" + caches("agent").get(0)), cmdline("agent"));

        // the off switch
        LauncherStack.Result off = stack.run(Map.of("CODETETHER_NO_AOT", "1"), "restart", "swarm");
        assertEquals(0, off.exit(), off.toString());
        assertFalse(cmdline("swarm").contains("AOTCache"), cmdline("swarm"));
    }

    @Test
    @Order(2)
    void aRecordingStartThatIsKilledLeavesNoCacheAndTheNextStartRecordsAgain() throws Exception {
        // after the first case: every part runs; the router's jar rewritten brings it to a recording start
        Path jar = root.resolve("router-service/target/quarkus-app/quarkus-run.jar");
        LauncherStack.Result up = stack.run(Map.of(), "up");
        assertEquals(0, up.exit(), up.toString());
        StandInParts.jar(jar, "FakePart", root.resolve("classes"), "FakePart.class", "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 9_000));
        LauncherStack.Result rec = stack.run(Map.of(), "restart", "router");
        assertEquals(0, rec.exit(), rec.toString());
        assertTrue(cmdline("router").contains("-XX:AOTCacheOutput="), cmdline("router"));
        long pid = Long.parseLong(Files.readString(root.resolve(".codetether/pids/router.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertTrue(caches("router").isEmpty(), "a killed recording start writes no cache: " + caches("router"));
        LauncherStack.Result next = stack.run(Map.of(), "up");
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
        return stack.cmdline(part);
    }

}
