package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code run}'s first request sent by the launcher before the JVM starts (docs/cli.md "Start-up"). Through
 * a copy of the real launcher with the packaged CLI jar, a JDK whose {@code java} notes that it starts and waits 2 s
 * before it is the real one, and a loopback gateway that keeps each request's exact bytes and whether a JVM had started
 * when it arrived. For every command line the launcher takes, its request is byte for byte the CLI's own (the message
 * id aside) and the output, exit code and standard error are the JVM path's (durations aside); every other command
 * line, a changed config.toml and a refused connection are the JVM path as before.
 */
class LauncherEarlyRunTest {
    private static final String SSE = frame("{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}")
            + frame("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},"
                    + "\"metadata\":{\"step\":1,\"tool\":\"bash\",\"call_id\":\"x\",\"arguments\":{\"command\":\"ls\"}}}}")
            + frame("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\","
                    + "\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"Done.\"}]}},"
                    + "\"metadata\":{\"usage\":{\"inputTokens\":12,\"outputTokens\":3,\"costUsd\":0.001}}}}");

    /** A slow model's stream: the task, then the answer's first words (a partial chunk), then nothing. */
    private static final String SLOW = frame("{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}")
            + frame("{\"artifactUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"append\":true,\"artifact\":{\"artifactId\":\"a\","
                    + "\"name\":\"answer\",\"parts\":[{\"text\":\"Thinking about it\"}],\"metadata\":{\"partial\":true,\"step\":1}}}}");

    @TempDir
    static Path shared;
    static Path root;
    static Path jdk;

    @TempDir
    Path work;
    Path config;
    Path jvmStarted;
    Gateway gateway;
    Path lastErr;
    Path lastOut;
    /** The launcher copy the test runs (the shared one unless a test makes its own). */
    Path copy;

    @BeforeAll
    static void launcherAndJdk() throws IOException {
        root = LauncherCopy.launcherWithCli(shared.resolve("root"));
        // a java that starts the real one 2 s late, and notes when it does
        // (or, given FAKE_JAVA_FAIL, fails as a JVM that cannot start does)
        jdk = LauncherCopy.fakeJdk(shared.resolve("jdk"), """
                #!/bin/sh
                if [ -n "${FAKE_JAVA_GATE:-}" ]; then
                  # held until the test opens the gate (at most 120 s): a start the test interrupts, whatever the load
                  : > "$FAKE_JAVA_GATE.waiting"
                  i=0
                  while [ ! -e "$FAKE_JAVA_GATE" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
                fi
                sleep 2
                if [ -n "${FAKE_JAVA_FAIL:-}" ]; then
                  echo "Error: Could not create the Java Virtual Machine." >&2
                  exit 1
                fi
                : > "$FAKE_JAVA_MARK"
                exec '%s' "$@"
                """);
    }

    @BeforeEach
    void start() throws IOException {
        config = work.resolve("xdg/codetether-agent/config.toml");
        Files.createDirectories(config.getParent());
        jvmStarted = work.resolve("jvm-started");
        gateway = new Gateway(jvmStarted);
        copy = root;
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
    }

    @Test
    void theLaunchersRequestIsTheClisAndSoIsTheOutput() throws Exception {
        Files.writeString(config, "[default]\nmodel = \"anthropic/claude-x\"\n[agent]\naccess_mode = \"approve\"\n");
        same(Map.of(), "run", "fix the bug", "--url", gateway.url());
        same(Map.of(), "--api-key", "k-123", "send", "h\u00e9llo \"quoted\" back\\slash\ttab", "and\nnewline",
                "-m", "local/qwen2.5-coder:7b", "--url", gateway.url());
        same(Map.of("CODETETHER_API_KEY", "env-key"), "--no-color", "run", "ok", "--provider", "openai",
                "--url", gateway.url().replace("127.0.0.1", "localhost").replaceAll("/$", ""));
        Files.writeString(config, "[a2a]\nserver_url = \"" + gateway.url() + "\"\n");
        same(Map.of(), "run", "from", "the", "config's", "gateway");
        Files.createDirectories(work.resolve("dir/.git"));
        same(Map.of("CODETETHER_URL", gateway.url()), "run", "hi", "--no-workspace");
    }

    @Test
    void whatTheLauncherCannotBuildIsTheJvmsAsBefore() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "a note\n");
        String url = gateway.url();
        launcher(Map.of(), "run", "warm", "--url", url); // keeps the config cache: only the command line decides now
        for (List<String> args : List.of(List.of("run", "see", "@notes.txt", "--url", url),
                List.of("--json", "run", "hi", "--url", url), List.of("run", "--skill", "swarm", "hi", "--url", url))) {
            Result r = launcher(Map.of(), args.toArray(String[]::new));
            assertEquals(0, r.exit(), args + ": " + r);
            assertTrue(gateway.last().jvmHadStarted(), args + ": the JVM sent this request, not the launcher");
        }
        // a directory the CLI decides about with git (a checkout's .git): the JVM's
        Files.createDirectories(work.resolve("dir/.git"));
        Result checkout = launcher(Map.of(), "run", "hi", "--url", url);
        assertEquals(0, checkout.exit(), checkout.toString());
        assertTrue(gateway.last().jvmHadStarted());
    }

    @Test
    void aChangedConfigIsReadByTheJvmOnceThenTheLauncherSendsItsValues() throws Exception {
        Files.writeString(config, "[default]\nmodel = \"one\"\n");
        launcher(Map.of(), "run", "hi", "--url", gateway.url());
        launcher(Map.of(), "run", "hi", "--url", gateway.url());
        assertFalse(gateway.last().jvmHadStarted());
        Files.writeString(config, "[default]\nmodel = \"two\"\n");
        launcher(Map.of(), "run", "hi", "--url", gateway.url());
        assertTrue(gateway.last().jvmHadStarted(), "a config the cache does not hold is the JVM's to read");
        assertTrue(gateway.last().text().contains("\"model\":\"two\""), gateway.last().text());
        launcher(Map.of(), "run", "hi", "--url", gateway.url());
        assertFalse(gateway.last().jvmHadStarted());
        assertTrue(gateway.last().text().contains("\"model\":\"two\""), gateway.last().text());
    }

    @Test
    void aRefusedConnectionFailsAsTheJvmReportsIt() throws Exception {
        String url = gateway.url();
        launcher(Map.of(), "run", "warm", "--url", url);
        gateway.close();
        Result jvm = launcher(Map.of("CODETETHER_NO_EARLY_RUN", "1"), "run", "hi", "--url", url);
        Result early = launcher(Map.of(), "run", "hi", "--url", url);
        assertTrue(jvm.exit() != 0, jvm.toString());
        assertEquals(jvm, early);
    }

    @Test
    void aLauncherRequestThatIsNotTheClisIsShownWithAWarning() throws Exception {
        Files.writeString(config, "[default]\nmodel = \"right\"\n");
        launcher(Map.of(), "run", "hi", "--url", gateway.url());
        Path cache = root.resolve("cli/target/startup/run-config");
        byte[] kept = Files.readAllBytes(cache);
        String tampered = new String(kept, StandardCharsets.UTF_8).replace("\0right\0", "\0wrong\0");
        Files.writeString(cache, tampered);
        Result r = launcher(Map.of(), "run", "hi", "--url", gateway.url());
        assertFalse(gateway.last().jvmHadStarted());
        assertTrue(gateway.last().text().contains("\"model\":\"wrong\""), gateway.last().text());
        assertTrue(r.err().contains("the launcher's early request differs from the CLI's own"), r.toString());
        assertTrue(r.err().contains("wrong") && r.err().contains("right"), r.toString());
        assertTrue(r.out().contains("Done."), r.toString());
        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(kept, Files.readAllBytes(cache), "the JVM keeps the cache as it read the config");
    }

    /**
     * The launcher's build keeps run's config cache for the jar it built, so the first run after a build sends its
     * request before the JVM starts too (before, that run was the JVM's: the cache is keyed by the jar).
     */
    @Test
    void theFirstRunAfterABuildSendsItsRequestEarly() throws Exception {
        copy = LauncherCopy.launcherWithCli(work.resolve("built"));
        // a build that writes a new jar (a new time: the launcher's caches are keyed by the jar's time and size)
        Path mvnw = copy.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\ntouch cli/target/cli-*-runner.jar\n");
        Files.setPosixFilePermissions(mvnw, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(copy.resolve(".mvn/wrapper"));
        Files.writeString(copy.resolve(".mvn/wrapper/maven-wrapper.properties"), "");
        Files.writeString(config, "[default]\nmodel = \"m1\"\n");
        String url = gateway.url();
        launcher(Map.of(), "run", "first", "--url", url);
        assertTrue(gateway.last().jvmHadStarted(), "no cache for this jar yet: the JVM's path");
        launcher(Map.of(), "run", "second", "--url", url);
        assertFalse(gateway.last().jvmHadStarted(), "the cache the first run kept");
        Path stamp = copy.resolve("cli/target/startup/jar.stamp");
        String before = Files.readString(stamp);
        Result built = launcher(Map.of(), "build");
        assertEquals(0, built.exit(), built.toString());
        launcher(Map.of(), "run", "third", "--url", url);
        assertTrue(gateway.last().text().contains("\"text\":\"third\""), gateway.last().text());
        assertFalse(before.equals(Files.readString(stamp)), "the build wrote a new jar");
        assertFalse(gateway.last().jvmHadStarted(), "the first run after the build is the launcher's");
        assertTrue(gateway.last().text().contains("\"model\":\"m1\""), gateway.last().text());
    }

    /**
     * A JVM that does not start after the launcher sent the request: the task it started is cancelled (CancelTask
     * with the id from the unread answer) and named on standard error; a JVM that took over is left alone.
     */
    @Test
    void aJvmThatDoesNotStartLeavesNoTaskRunning() throws Exception {
        String url = gateway.url();
        launcher(Map.of(), "run", "warm", "--url", url);
        Result ok = launcher(Map.of(), "run", "hi", "--url", url);
        assertFalse(gateway.last().jvmHadStarted(), "the launcher sent it");
        assertEquals(0, ok.exit(), ok.toString());
        Result failed = launcher(Map.of("FAKE_JAVA_FAIL", "1"), "run", "fix", "it", "--url", url);
        assertEquals(1, failed.exit(), failed.toString());
        Request cancel = awaitRequest("CancelTask");
        assertTrue(cancel.text().endsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"CancelTask\",\"params\":{\"id\":\"t1\"}}"),
                cancel.text());
        assertTrue(cancel.text().startsWith("POST / HTTP/1.1\r\n"), cancel.text());
        String err = awaitErr("was cancelled");
        assertTrue(err.contains("Error: Could not create the Java Virtual Machine."), err);
        assertTrue(err.contains("task t1 was cancelled; codetether get t1 shows it"), err);
        long cancels = gateway.requests.stream().filter(r -> r.text().contains("CancelTask")).count();
        assertEquals(1, cancels, "only the run whose JVM did not start is cancelled");
        // with a key: the cancel carries it as the request did
        Result keyed = launcher(Map.of("FAKE_JAVA_FAIL", "1", "CODETETHER_API_KEY", "k-9"), "run", "again", "--url", url);
        assertEquals(1, keyed.exit(), keyed.toString());
        awaitErr("was cancelled");
        Request second = gateway.requests.stream().filter(r -> r.text().contains("CancelTask")).toList().getLast();
        assertTrue(second.text().contains("\r\nAuthorization: Bearer k-9\r\n"), second.text());
    }

    /**
     * A JVM that took the task over and is killed (SIGKILL) mid-stream: the launcher's watcher, told the task's id by
     * the JVM, cancels it and says so; a run whose JVM ended the stream itself cancels nothing.
     */
    @Test
    void aJvmKilledMidStreamLeavesNoTaskRunning() throws Exception {
        String url = gateway.url();
        Result ok = launcher(Map.of(), "run", "hi", "--url", url);
        assertEquals(0, ok.exit(), ok.toString());
        Process p = start(Map.of(), "run", "a", "slow", "one", "--url", url);
        String out = awaitFile(lastOut, "Thinking about it", p);
        assertFalse(gateway.requests.stream().filter(r -> r.text().contains("SendStreamingMessage")).toList().getLast()
                .jvmHadStarted(), "the launcher sent it");
        assertTrue(Files.exists(jvmStarted), "the JVM showed the stream: " + out);
        // the launcher's process is the JVM (exec): killed as hard as it gets
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        assertT1Cancelled("the CLI (java) ended while it showed this run's task (killed, or interrupted): task t1"
                + " was cancelled; codetether get t1 shows it");
        assertEquals(1, gateway.requests.stream().filter(r -> r.text().contains("CancelTask")).count(),
                "only the killed run is cancelled");
    }

    /**
     * Ctrl+C on the terminal while the JVM starts, after the launcher sent the request (a real pseudo-terminal:
     * script(1), the 0x03 through its line discipline): the launcher ends as interrupted (130), no JVM ever runs, and
     * the task the request started is cancelled and named.
     */
    @Test
    void ctrlCWhileTheJvmStartsCancelsTheTask() throws Exception {
        String url = gateway.url();
        launcher(Map.of(), "run", "warm", "--url", url); // keeps run's config cache: the next run is early
        int before = gateway.requests.size();
        Path gate = work.resolve("never-opened");
        Process p = start(true, Map.of("FAKE_JAVA_GATE", gate.toString()), "run", "slow", "start", "--url", url);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Ctrl+C once the JVM is starting (the fake java at its gate): the watcher, forked before it with SIGINT
        // ignored, must outlive the launcher. Not earlier: a Ctrl+C while bash forks the watcher (SIGINT ignored
        // there for those instants) is lost, and the next one reaches the JVM (docs/cli.md)
        Path waiting = Path.of(gate + ".waiting");
        while ((gateway.requests.size() == before || !Files.exists(waiting)) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000); // not a spin: the launcher under test needs the core
        }
        assertTrue(Files.exists(waiting), "the launcher started java after its request");
        Request sent = gateway.last();
        assertTrue(sent.text().contains("slow start"), sent.text());
        assertFalse(sent.jvmHadStarted(), "the launcher sent it");
        assertFalse(Files.exists(jvmStarted), "the fake java waits at its gate before the JVM");
        try (OutputStream terminal = p.getOutputStream()) {
            terminal.write(3);
            terminal.flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher ended on Ctrl+C");
        }
        assertEquals(130, p.exitValue(), Files.readString(lastOut, StandardCharsets.UTF_8));
        assertT1Cancelled("before it read the answer to this run's request, which the launcher had sent: task t1"
                + " was cancelled; codetether get t1 shows it");
        Files.writeString(gate, ""); // a fake java still waiting would go on now: the interrupted start must not
        Thread.sleep(2_500);
        assertFalse(Files.exists(jvmStarted), "no JVM ran after Ctrl+C");
    }

    /**
     * Ctrl+C on the terminal after the JVM took the task over, on the JVM's own path ({@code CODETETHER_NO_EARLY_RUN=1}:
     * no launcher request, no watcher): the JVM cancels the task it shows (CancelTask) before it exits as interrupted
     * (130) and says so; before, the task ran on with nobody watching.
     */
    @Test
    void ctrlCOnTheJvmsOwnPathCancelsTheTask() throws Exception {
        ctrlCAfterTheJvmTookOver(Map.of("CODETETHER_NO_EARLY_RUN", "1"), true);
    }

    /**
     * The same after the launcher sent the request and the JVM took it over: the JVM cancels it, tells the watcher
     * {@code done}, and the watcher cancels nothing more (one CancelTask).
     */
    @Test
    void ctrlCAfterTheJvmTookTheLaunchersRequestOverCancelsTheTaskOnce() throws Exception {
        ctrlCAfterTheJvmTookOver(Map.of(), false);
    }

    private void ctrlCAfterTheJvmTookOver(Map<String, String> env, boolean jvmSends) throws Exception {
        String url = gateway.url();
        launcher(Map.of(), "run", "warm", "--url", url); // keeps run's config cache: the next run may be early
        Process p = start(true, env, "run", "a", "slow", "one", "--url", url);
        String out = awaitFile(lastOut, "Thinking about it", p);
        Request sent = gateway.requests.stream().filter(r -> r.text().contains("slow one")).findFirst().orElseThrow();
        assertEquals(jvmSends, sent.jvmHadStarted(), jvmSends ? "the JVM sent it" : "the launcher sent it");
        assertTrue(Files.exists(jvmStarted), "the JVM showed the stream: " + out);
        List<ProcessHandle> tree = p.descendants().toList(); // the watcher among them, if the launcher forked one
        try (OutputStream terminal = p.getOutputStream()) {
            terminal.write(3);
            terminal.flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the CLI ended on Ctrl+C");
        }
        assertEquals(130, p.exitValue(), Files.readString(lastOut, StandardCharsets.UTF_8));
        // the JVM's own client sends it (its JSON-RPC ids count on from the stream's)
        Request cancel = awaitRequest("CancelTask");
        assertTrue(cancel.text().contains("\"method\":\"CancelTask\",\"params\":{\"id\":\"t1\"}}"), cancel.text());
        String err = awaitErr("was cancelled");
        assertTrue(err.contains("codetether: interrupted: task t1 was cancelled; codetether get t1 shows it"), err);
        for (ProcessHandle h : tree) { // counted once every process of the run has ended, the watcher too
            h.onExit().get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, gateway.requests.stream().filter(r -> r.text().contains("CancelTask")).count(),
                "one CancelTask: " + Files.readString(lastErr, StandardCharsets.UTF_8));
    }

    /** The watcher's CancelTask for t1 reached the gateway and its line, {@code message}, is on standard error. */
    private void assertT1Cancelled(String message) throws Exception {
        Request cancel = awaitRequest("CancelTask");
        assertTrue(cancel.text().endsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"CancelTask\",\"params\":{\"id\":\"t1\"}}"),
                cancel.text());
        String err = awaitErr("was cancelled");
        assertTrue(err.contains(message), err);
    }

    private Request awaitRequest(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Request r : gateway.requests) {
                if (r.text().contains("\"method\":\"" + method + "\"")) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + method + " reached the gateway (load " + LoadAverage.now() + ")");
    }

    /** The last launcher's standard error once it holds {@code text} (the watcher writes after the launcher ended). */
    private String awaitErr(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String err = "";
        while (System.nanoTime() < deadline) {
            err = Files.readString(lastErr, StandardCharsets.UTF_8);
            if (err.contains(text)) {
                return err;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' on standard error:\n" + err);
    }

    /** The JVM's path, then the launcher's, for the same command line: one request and one output. */
    private void same(Map<String, String> env, String... args) throws Exception {
        Map<String, String> off = new HashMap<>(env);
        off.put("CODETETHER_NO_EARLY_RUN", "1");
        Result jvm = launcher(off, args);
        Request jvmRequest = gateway.last();
        assertTrue(jvmRequest.jvmHadStarted());
        Result early = launcher(env, args);
        Request earlyRequest = gateway.last();
        assertFalse(earlyRequest.jvmHadStarted(), "the launcher sent it before the JVM started: " + List.of(args));
        assertEquals(0, jvm.exit(), jvm.toString());
        assertTrue(jvm.out().contains("Done."), jvm.toString());
        assertEquals(jvmRequest.withoutMessageId(), earlyRequest.withoutMessageId(), List.of(args).toString());
        assertEquals(jvm.withoutDurations(), early.withoutDurations(), List.of(args).toString());
    }

    private Result launcher(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 90 s: " + List.of(args) + " (load " + LoadAverage.now() + ")");
        }
        return new Result(p.exitValue(), Files.readString(lastOut, StandardCharsets.UTF_8),
                Files.readString(lastErr, StandardCharsets.UTF_8));
    }

    /** The launcher's standard output once it holds {@code text}. */
    private String awaitFile(Path file, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = Files.readString(file, StandardCharsets.UTF_8);
            if (s.contains(text)) {
                return s;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + file + ":\n" + s + "\nerr:\n"
                + Files.readString(lastErr, StandardCharsets.UTF_8) + " (load " + LoadAverage.now() + ")");
    }

    private Process start(Map<String, String> env, String... args) throws Exception {
        return start(false, env, args);
    }

    /**
     * The launcher with {@code args}; in a pseudo-terminal of script(1) when {@code pty} (its standard input a pipe
     * to the terminal: a 0x03 written there is Ctrl+C), else with standard input from /dev/null.
     */
    private Process start(boolean pty, Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(jvmStarted);
        List<String> cmd = new ArrayList<>(List.of(copy.resolve("codetether").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        if (pty) {
            StringBuilder line = new StringBuilder("exec");
            for (String a : cmd) {
                line.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            line.append(" 2>'").append(err).append('\'');
            cmd = List.of("script", "-qec", line.toString(), "/dev/null");
        }
        Path dir = Files.isDirectory(work.resolve("dir")) ? work.resolve("dir") : work;
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.remove("CODETETHER_URL");
        e.remove("CODETETHER_API_KEY");
        e.remove("CODETETHER_CONFIG");
        e.remove("CODETETHER_WORKSPACE");
        e.putAll(Map.of("CODETETHER_NO_AOT", "1", "JAVA_HOME", jdk.toString(), "FAKE_JAVA_MARK", jvmStarted.toString(),
                "HOME", work.resolve("home").toString(), "XDG_CONFIG_HOME", work.resolve("xdg").toString(),
                "XDG_DATA_HOME", work.resolve("data").toString(), "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"));
        e.putAll(env);
        lastErr = err;
        lastOut = out;
        pb.redirectOutput(out.toFile());
        if (pty) {
            return pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectErrorStream(true).start();
        }
        return pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(err.toFile()).start();
    }

    private static String frame(String result) {
        return "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}\n\n";
    }

    record Result(int exit, String out, String err) {
        /** Tool and turn durations are the run's timing, not its output. */
        Result withoutDurations() {
            String d = "\\d+(\\.\\d+)?(ms|s|m)\\b";
            return new Result(exit, out.replaceAll(d, "T"), err.replaceAll(d, "T"));
        }
    }

    /** One request's exact bytes, and whether the JVM had started when it arrived. */
    record Request(byte[] bytes, boolean jvmHadStarted) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String withoutMessageId() {
            return text().replaceAll("\"messageId\":\"[0-9a-f-]{36}\"", "\"messageId\":\"X\"");
        }
    }

    /** A gateway on loopback that keeps each request's bytes and answers every one with the same task. */
    static final class Gateway implements AutoCloseable {
        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final Path marker;

        Gateway(Path marker) throws IOException {
            this.marker = marker;
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().name("gateway").start(this::serve);
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/";
        }

        Request last() {
            assertFalse(requests.isEmpty(), "no request reached the gateway");
            return requests.getLast();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    // one thread a connection: a slow stream stays open while the CancelTask for it arrives
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void answer(Socket socket) {
            try (Socket s = socket) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int length = -1;
                while (length < 0 || got.size() < length) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    got.write(b);
                    String head = got.toString(StandardCharsets.ISO_8859_1);
                    if (length < 0 && head.endsWith("\r\n\r\n")) {
                        var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
                        length = head.length() + (m.find() ? Integer.parseInt(m.group(1)) : 0);
                    }
                }
                Request request = new Request(got.toByteArray(), Files.exists(marker));
                requests.add(request);
                OutputStream out = s.getOutputStream();
                if (request.text().contains("\"method\":\"CancelTask\"")) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                            + "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"id\":\"t1\",\"status\":{\"state\":\"TASK_STATE_CANCELED\"}}}")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                if (request.text().contains("slow")) {
                    // a scripted slow model: the task and the answer's first words, then nothing until cancelled
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                            + SLOW).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (System.nanoTime() < deadline && requests.stream()
                            .noneMatch(r -> r.text().contains("\"method\":\"CancelTask\""))) {
                        Thread.sleep(20);
                    }
                    return;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + SSE)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException | InterruptedException closed) {
                // the server closed, or a client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
