package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the launcher writes the TUI's cached first frame before the JVM starts. Run through the real launcher
 * (a copy of {@code ./codetether} beside a copy of the packaged jar, so its caches stay in this test's folder) in tmux,
 * with a {@code java} that, when gated, says the launcher has handed over and waits until the test lets it start the
 * real one: what the pane shows while no JVM runs can only be the launcher's. A gate, not a delay: on a loaded
 * machine a delay may end before the test has looked at the pane. No gateway is needed for a first frame (the TUI
 * connects when a prompt is sent).
 */
class TuiFrameCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String STATUS_BAR = "? help";

    @TempDir
    static Path shared;

    static Path root;
    static Path jdk;

    @TempDir
    Path work;

    Path home;
    Path jvmStarted;
    /** The fake java's gate: it waits for this file; it writes {@code <gate>.waiting} when the launcher handed over. */
    Path gate;
    Path trace;

    @BeforeAll
    static void launcherAndJdk() throws Exception {
        if (!Tmux.available()) {
            throw new IllegalStateException("tmux is needed for the TUI tests (apt-get install tmux; .ci/run installs it)");
        }
        root = LauncherCopy.launcherWithCli(shared.resolve("root"));
        // a JDK whose java, given FAKE_JAVA_GATE, notes that the launcher handed over (GATE.waiting) and waits for
        // the file GATE (at most 120 s), then notes that the JVM starts and is the real one; its version (99) makes
        // the launcher choose it over every installed JDK
        jdk = LauncherCopy.fakeJdk(shared.resolve("jdk"), """
                #!/bin/sh
                if [ -n "${FAKE_JAVA_GATE:-}" ]; then
                  : > "$FAKE_JAVA_GATE.waiting"
                  i=0
                  while [ ! -e "$FAKE_JAVA_GATE" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
                fi
                : > "$FAKE_JAVA_MARK"
                exec '%s' "$@"
                """);
    }

    @AfterAll
    static void tmuxServer() {
        Tmux.killServer();
    }

    /** The frame without its status line (the last line naming Ctrl+C), colour codes kept. */
    private static String withoutStatusLine(String frame) {
        return String.join("\n", frame.lines().filter(l -> !l.contains("Ctrl+C")).toList());
    }

    @BeforeEach
    void paths() throws IOException {
        home = work.resolve("home");
        Files.createDirectories(home.resolve("config/codetether-agent"));
        jvmStarted = work.resolve("jvm-started");
        gate = work.resolve("jvm-go");
        trace = work.resolve("startup.trace");
    }

    @Test
    void theLaunchersFrameIsTheJvmsFrameAndKeysTypedAtItReachTheTui() throws Exception {
        firstRun(80, 24);
        try (Tmux t = start("hit", 80, 24, true)) {
            String launchers = t.await("the launcher's frame", WAIT, s -> s.contains(STATUS_BAR));
            assertFalse(Files.exists(jvmStarted), "the frame shows before the JVM starts");
            assertTrue(launchers.contains("Ask anything"), launchers);
            String coloured = t.captureWithColours();
            t.type("typed early");
            openGate();
            awaitJvm(t);
            awaitTrace("the launcher's frame is this frame");
            String typed = t.awaitText("typed early", WAIT);
            assertTrue(typed.contains("typed early"), "keys typed at the launcher's frame reach the TUI:\n" + typed);
            t.keys("C-u");
            String after = t.await("the input cleared", WAIT, s -> !s.contains("typed early"));
            // the status line's right part gains the workspace mode once the TUI has looked (after its first frame)
            assertEquals(withoutStatusLine(coloured), withoutStatusLine(t.captureWithColours()),
                    "the JVM's frame is the launcher's, colours included");
            String status = t.await("the status line", WAIT, s -> s.lines().anyMatch(l -> l.contains("CHAT")
                    && l.matches(".*┃\\s+((upload mode|worker mode|no workspace) · )?\\? help · Ctrl\\+C\\s*")));
            assertTrue(after.contains(STATUS_BAR), after);
            assertTrue(status.contains("Ask anything"), status);
            quit(t);
        }
    }

    /**
     * A size with no frame kept (a resize, a first start at it): the launcher builds the frame from the template the
     * first start kept, identical with its colours to the JVM's; below the template's width (a tip would wrap)
     * nothing shows before the JVM.
     */
    @Test
    void anotherSizeIsBuiltFromTheTemplate() throws Exception {
        firstRun(80, 24);
        assertTrue(kept(root, "tui-template") != null, "the first start kept a template");
        assertTrue(kept(root, "tui-frame-100x30") == null);
        try (Tmux t = start("template", 100, 30, true)) {
            String launchers = t.await("the launcher's frame", WAIT, s -> s.contains(STATUS_BAR));
            assertFalse(Files.exists(jvmStarted), "the frame shows before the JVM starts");
            assertTrue(launchers.contains("Ask anything"), launchers);
            String coloured = t.captureWithColours();
            openGate();
            awaitJvm(t);
            awaitTrace("the launcher's frame is this frame (from the template)");
            t.await("the status line", WAIT, s -> s.lines().anyMatch(l -> l.contains("CHAT")
                    && l.matches(".*┃\\s+((upload mode|worker mode|no workspace) · )?\\? help · Ctrl\\+C\\s*")));
            assertEquals(withoutStatusLine(coloured), withoutStatusLine(t.captureWithColours()),
                    "the JVM's frame is the one the launcher built, colours included");
            awaitTrace("tui frame cache: kept");
            assertTrue(kept(root, "tui-frame-100x30") != null, "this size's own frame is kept");
            quit(t);
        }
        Files.deleteIfExists(trace);
        try (Tmux t = start("narrow", 50, 20, true)) {
            assertNothingBeforeTheJvm(t);
            awaitJvm(t);
            t.awaitText(STATUS_BAR, WAIT);
            quit(t);
        }
    }

    @Test
    void aThemeChangeMissesTheCacheAndTheTemplate() throws Exception {
        firstRun(80, 24);
        Files.writeString(home.resolve("config/codetether-agent/config.toml"), "[ui]\ntheme = \"solarized-light\"\n");
        Files.deleteIfExists(trace);
        try (Tmux t = start("theme", 80, 24, true)) {
            assertNothingBeforeTheJvm(t);
            awaitTrace("tui frame cache: kept");
            quit(t);
        }
        // that start kept the new theme's frame and template: the next one shows it before the JVM, at any size
        for (int[] size : new int[][] {{80, 24}, {90, 28}}) {
            Files.deleteIfExists(trace);
            try (Tmux t = start("theme-hit", size[0], size[1], true)) {
                t.await("the launcher's frame", WAIT, s -> s.contains(STATUS_BAR));
                assertFalse(Files.exists(jvmStarted), "the frame shows before the JVM starts");
                openGate();
                awaitJvm(t);
                awaitTrace("the launcher's frame is this frame");
                quit(t);
            }
        }
    }

    /**
     * The launcher's build, on a terminal, keeps the first frame of {@code codetether} alone for this directory and
     * terminal: the first TUI start after it shows its frame before the JVM (before, a build meant a blank terminal).
     */
    @Test
    void theFirstStartAfterABuildShowsItsFrameBeforeTheJvm() throws Exception {
        Path built = copyWithBuild();
        try (Tmux t = start(built, "build", 90, 28, false, List.of("build"))) {
            long deadline = System.nanoTime() + WAIT.toNanos() * 2;
            while (!t.exited() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(t.exited(), "the build ended");
        }
        assertTrue(kept(built, "tui-frame-90x28") != null, "the build kept the frame");
        Files.deleteIfExists(trace);
        try (Tmux t = start(built, "after-build", 90, 28, true, List.of())) {
            assertTheLaunchersFrameIsTheJvms(t);
        }
    }

    /**
     * A build with no terminal (standard input, output and error not one: `./codetether build > log`, a script) keeps
     * the frame too, at 80x24, and its template: the first TUI start after it, at another size, shows the frame the
     * launcher built from the template before the JVM. Before, a build without a terminal primed nothing.
     */
    @Test
    void aBuildWithoutATerminalPrimesTheFrameToo() throws Exception {
        Path built = copyWithBuild();
        Path log = work.resolve("build.log");
        // no terminal on any of its standard streams; the environment a later start in tmux has (the same directory)
        ProcessBuilder pb = new ProcessBuilder(built.resolve("codetether").toString(), "build")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(log.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment(false));
        pb.environment().put("TERM", "tmux-256color");
        Process build = pb.start();
        assertTrue(build.waitFor(WAIT.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS), "the build ended");
        assertEquals(0, build.exitValue(), Files.readString(log));
        assertTrue(kept(built, "tui-frame-80x24") != null, "the build kept the frame at 80x24: " + Files.readString(log));
        assertTrue(kept(built, "tui-template") != null, "the build kept the template");
        Files.deleteIfExists(trace);
        try (Tmux t = start(built, "after-build-no-tty", 90, 28, true, List.of())) {
            assertTheLaunchersFrameIsTheJvms(t);
        }
    }

    /** A launcher copy whose build (its mvnw) writes a new jar: a new time, and the frame cache is keyed by it. */
    private Path copyWithBuild() throws IOException {
        Path built = LauncherCopy.launcherWithCli(work.resolve("built"));
        Path mvnw = built.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\nsleep 1\ntouch cli/target/cli-*-runner.jar\n");
        Files.setPosixFilePermissions(mvnw, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(built.resolve(".mvn/wrapper"));
        Files.writeString(built.resolve(".mvn/wrapper/maven-wrapper.properties"), "");
        return built;
    }

    /** {@code tui --worker} (a worker for the directory, started after the first frame) takes the cached frame too. */
    @Test
    void theWorkerTuiTakesTheCachedFrame() throws Exception {
        firstRun(80, 24, "--worker");
        try (Tmux t = start("worker", 80, 24, true, "--worker")) {
            assertTheLaunchersFrameIsTheJvms(t);
        }
    }

    /** The frame is on the screen while the JVM is held at the gate; once it runs, it finds its own frame there. */
    private void assertTheLaunchersFrameIsTheJvms(Tmux t) throws Exception {
        String launchers = t.await("the launcher's frame", WAIT, s -> s.contains(STATUS_BAR));
        assertFalse(Files.exists(jvmStarted), "the frame shows before the JVM starts");
        assertTrue(launchers.contains("Ask anything"), launchers);
        openGate();
        awaitJvm(t);
        awaitTrace("the launcher's frame is this frame");
        quit(t);
    }

    /** What the key cannot see (here: the kept bytes themselves changed) the JVM sees: its own frame replaces it. */
    @Test
    void aCachedFrameThatIsNotTheJvmsIsReplacedOnTheScreenAndInTheFile() throws Exception {
        firstRun(80, 24);
        Path kept = kept(root, "tui-frame-80x24");
        String file = Files.readString(kept, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(file.contains("Ask anything"), "the kept frame holds the input's hint");
        Files.writeString(kept, file.replace("Ask anything", "Ask ANYTHING"), java.nio.charset.StandardCharsets.ISO_8859_1);
        try (Tmux t = start("stale", 80, 24, true)) {
            t.awaitText("Ask ANYTHING", WAIT);
            assertFalse(Files.exists(jvmStarted), "the launcher showed the kept bytes as they are");
            openGate();
            awaitJvm(t);
            awaitTrace("the launcher's frame differs; redrawn");
            String screen = t.awaitText("Ask anything", WAIT);
            assertFalse(screen.contains("ANYTHING"), screen);
            awaitTrace("tui frame cache: kept");
            assertFalse(Files.readString(kept, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ANYTHING"),
                    "the file holds the JVM's frame again");
            quit(t);
        }
    }

    /**
     * Two command lines (two keys) at one size: each keeps its own frame and template (the launcher's caches keep the
     * last 8 keys, cli/LauncherSlots), so the first one's next start still shows its frame before the JVM, at its size
     * and, from its template, at another. Before, the second key's start replaced the first's.
     */
    @Test
    void anotherCommandLineDoesNotTakeTheFirstOnesFrame() throws Exception {
        firstRun(80, 24);
        firstRun(80, 24, "--worker");
        try (Tmux t = start("again", 80, 24, true)) {
            assertTheLaunchersFrameIsTheJvms(t);
        }
        Files.deleteIfExists(trace);
        try (Tmux t = start("again-other-size", 96, 26, true)) {
            assertTheLaunchersFrameIsTheJvms(t);
        }
        long frames;
        try (var files = Files.list(root.resolve("cli/target/startup"))) {
            frames = files.filter(f -> f.getFileName().toString().matches("tui-frame-80x24\\.[0-7]")).count();
        }
        assertTrue(frames >= 2, "one frame a key: " + frames);
    }

    /** The launcher's cache file {@code base.N} (one a key) that holds this test's key (its HOME), or null. */
    private Path kept(Path launcherRoot, String base) throws IOException {
        for (int i = 0; i < 8; i++) {
            Path p = launcherRoot.resolve("cli/target/startup/" + base + "." + i);
            if (Files.exists(p) && Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).contains(home.toString())) {
                return p;
            }
        }
        return null;
    }

    /** A start without a cached frame for this size: the TUI draws and keeps its first frame. */
    private void firstRun(int cols, int rows, String... tuiArgs) throws Exception {
        try (Tmux t = start("first", cols, rows, false, tuiArgs)) {
            t.awaitText(STATUS_BAR, WAIT);
            awaitTrace("tui frame cache: kept");
            assertTrue(kept(root, "tui-frame-" + cols + "x" + rows) != null);
            quit(t);
        }
        Files.deleteIfExists(trace);
    }

    /**
     * Once the launcher has handed over to java (held at the gate), whatever it drew is in the pane: the pane, once
     * it stays the same for half a second, must show no cached frame. Then the JVM may start.
     */
    private void assertNothingBeforeTheJvm(Tmux t) throws Exception {
        Path waiting = Path.of(gate + ".waiting");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(waiting) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(waiting), "the launcher handed over to java");
        String screen = t.capture();
        for (String last = null; !screen.equals(last) && System.nanoTime() < deadline; ) {
            Thread.sleep(500);
            last = screen;
            screen = t.capture();
        }
        assertFalse(Files.exists(jvmStarted), "the JVM is held at the gate");
        assertFalse(screen.contains(STATUS_BAR), "no cached frame may show for another size or theme:\n" + screen);
        openGate();
    }

    private void openGate() throws IOException {
        Files.writeString(gate, "");
    }

    /** The launcher in tmux; {@code gated}: its java waits for {@link #openGate}. */
    private Tmux start(String name, int cols, int rows, boolean gated, String... tuiArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("cli", "--url", "http://127.0.0.1:9/", "tui"));
        args.addAll(List.of(tuiArgs));
        return start(root, name, cols, rows, gated, args);
    }

    /** The launcher of the copy {@code launcherRoot} with {@code args}, in tmux. */
    private Tmux start(Path launcherRoot, String name, int cols, int rows, boolean gated, List<String> args)
            throws Exception {
        Files.deleteIfExists(jvmStarted);
        Files.deleteIfExists(gate);
        Files.deleteIfExists(Path.of(gate + ".waiting"));
        List<String> cmd = new ArrayList<>(List.of("env", "TERM=tmux-256color",
                launcherRoot.resolve("codetether").toString()));
        cmd.addAll(args);
        return Tmux.start(name, cols, rows, environment(gated), cmd, Path.of("target/tui-screens"));
    }

    private Map<String, String> environment(boolean gated) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8", "JAVA_HOME", jdk.toString(), "CODETETHER_NO_AOT", "1",
                "CODETETHER_STARTUP_DEBUG", trace.toString()));
        env.put("FAKE_JAVA_MARK", jvmStarted.toString());
        if (gated) {
            env.put("FAKE_JAVA_GATE", gate.toString());
        }
        return env;
    }

    private void awaitJvm(Tmux t) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(jvmStarted) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(jvmStarted), "the JVM started");
    }

    private void awaitTrace(String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(trace) ? Files.readString(trace) : "";
            if (text.contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + line + "' in the start-up trace:\n" + text);
    }

    private static void quit(Tmux t) throws Exception {
        t.keys("C-q");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!t.exited() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(t.exited(), "Ctrl+Q quits the TUI");
    }
}
