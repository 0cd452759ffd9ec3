package run.codetether.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.worker.v1.Call;
import run.codetether.contracts.worker.v1.CallKind;
import run.codetether.contracts.worker.v1.CallResult;
import run.codetether.tools.domain.OutputSink;

/** The worker's tools on a real directory, with real bubblewrap: edits land there, a call key runs at most once. */
class WorkerToolsTest {
    @TempDir
    Path tmp;

    @Test
    void parsesNamesAndStripsCredentialsFromTheRemote() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Path other = Files.createDirectories(tmp.resolve("x"));
        new ProcessBuilder("git", "-C", app.toString(), "init", "-q", "-b", "dev").start().waitFor();
        new ProcessBuilder("git", "-C", app.toString(), "remote", "add", "origin",
                "https://bob:tok3n@example.invalid/r.git").start().waitFor();
        List<CodebaseSpec> specs = CodebaseSpec.parse(app + ",lib=" + other);
        assertEquals("app", specs.get(0).name());
        assertEquals("https://example.invalid/r.git", specs.get(0).gitRemote());
        assertEquals("dev", specs.get(0).gitBranch());
        assertEquals("lib", specs.get(1).name());
        assertEquals("", specs.get(1).gitRemote());
        assertEquals(64, specs.get(1).pathHash().length());
        assertThrows(IllegalArgumentException.class, () -> CodebaseSpec.parse(app + "," + app));
        assertThrows(IllegalArgumentException.class, () -> CodebaseSpec.parse("cb-x=" + app));
        assertThrows(IllegalArgumentException.class, () -> CodebaseSpec.parse(tmp.resolve("missing").toString()));
    }

    @Test
    void editsAndCommandsRunInTheCodebaseOnceAndUnknownCodebasesAreRefused() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("a.txt"), "one\n");
        try (WorkerTools tools = new WorkerTools(CodebaseSpec.parse(app.toString()), tmp.resolve("state"), "bwrap",
                true)) {
            CallResult edit = tools.run(call("k1", "app", "edit",
                    "{\"path\":\"a.txt\",\"old_string\":\"one\",\"new_string\":\"two\"}"), OutputSink.DISCARD);
            assertTrue(edit.getExecuted().getOk(), edit.toString());
            assertEquals("two\n", Files.readString(app.resolve("a.txt")));
            CallResult bash = tools.run(call("k2", "app", "bash", "{\"command\":\"echo x >> log.txt\"}"),
                    OutputSink.DISCARD);
            assertTrue(bash.getExecuted().getOk(), bash.toString());
            CallResult again = tools.run(call("k2", "app", "bash", "{\"command\":\"echo x >> log.txt\"}"),
                    OutputSink.DISCARD);
            assertTrue(again.getExecuted().getReplayed(), again.toString());
            assertEquals("x\n", Files.readString(app.resolve("log.txt")), "the repeated key did not run again");
            CallResult home = tools.run(call("k3", "app", "bash", "{\"command\":\"ls " + System.getProperty("user.home")
                    + " | wc -l\"}"), OutputSink.DISCARD);
            assertEquals("0", home.getExecuted().getOutput().strip(), "the home directory is hidden: " + home);
            CallResult refused = tools.run(call("k4", "nope", "read_file", "{\"path\":\"a.txt\"}"), OutputSink.DISCARD);
            assertFalse(refused.getRefused().isEmpty(), refused.toString());
        }
    }

    /**
     * Issue 19: a command the worker cuts off (stopping, or its stream to the gateway gone) is answered INTERRUPTED
     * with the output it gave so far, and that answer is what a repeat of the key gets: the command never runs twice.
     */
    @Test
    void aCommandCutOffByTheWorkerIsInterruptedAndARepeatOfItsKeyDoesNotRunIt() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        try (WorkerTools tools = new WorkerTools(CodebaseSpec.parse(app.toString()), tmp.resolve("state"), "bwrap",
                true)) {
            java.util.concurrent.atomic.AtomicReference<String> cut = new java.util.concurrent.atomic.AtomicReference<>();
            OutputSink sink = new OutputSink() {
                public void stdout(String text) {
                    if (text.contains("started")) {
                        cut.set("the worker was stopped while this call ran");
                    }
                }

                public void stderr(String text) {}

                @Override
                public boolean cancelled() {
                    return cut.get() != null;
                }

                @Override
                public String interruption() {
                    return cut.get();
                }
            };
            String cmd = "{\"command\":\"echo started; echo started >> c.txt; sleep 30; echo finished >> c.txt\"}";
            long t0 = System.nanoTime();
            CallResult r = tools.run(call("k-cut", "app", "bash", cmd), sink);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 20_000, "stopped, not run to its end");
            assertTrue(r.getExecuted().getInterrupted(), r.toString());
            assertFalse(r.getExecuted().getOk());
            assertTrue(r.getExecuted().getError().startsWith("INTERRUPTED: the worker was stopped while this call ran;"
                    + " the call did not complete and was not run again"), r.getExecuted().getError());
            assertTrue(r.getExecuted().getOutput().contains("started"), "the output so far is kept: " + r);

            CallResult again = tools.run(call("k-cut", "app", "bash", cmd), OutputSink.DISCARD);
            assertTrue(again.getExecuted().getReplayed() && again.getExecuted().getInterrupted(), again.toString());
            assertEquals("started\n", Files.readString(app.resolve("c.txt")), "never run twice, never finished");

            CallResult plain = tools.run(call("k-plain", "app", "bash", "{\"command\":\"exit 3\"}"),
                    OutputSink.DISCARD);
            assertFalse(plain.getExecuted().getInterrupted(), "a failure of the command itself is not: " + plain);
        }
    }

    @Test
    void commandsReachOnlyTheWorkersAllowlistThroughItsEgressProxy() throws Exception {
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", ex -> {
            byte[] body = ("registry-ok " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        registry.start();
        int port = registry.getAddress().getPort();
        Path app = Files.createDirectories(tmp.resolve("app"));
        String fetch = "{\"command\":\"curl -s -m 10 -w ' %{http_code}' http://127.0.0.1:" + port + "/pkg; echo;"
                + " curl -s -m 10 -o /dev/null -w '%{http_code}' http://blocked.invalid/\"}";
        try (WorkerEgress egress = WorkerEgress.of(List.of("127.0.0.1:" + port), List.of(), tmp.resolve("state"))
                .orElseThrow();
                WorkerTools tools = new WorkerTools(CodebaseSpec.parse(app.toString()), tmp.resolve("state"), "bwrap",
                        true, egress)) {
            CallResult out = tools.run(call("e1", "app", "bash", fetch), OutputSink.DISCARD);
            String text = out.getExecuted().getOutput();
            assertTrue(text.contains("registry-ok /pkg 200"), "the allowed registry answered through the proxy: " + out);
            assertTrue(text.contains("403"), "a host not on the worker's list is refused by the proxy: " + out);
            assertTrue(egress.recent("app").stream().anyMatch(e -> e.host().equals("blocked.invalid") && e.refused()),
                    "the refusal is recorded: " + egress.recent("app"));
        } finally {
            registry.stop(0);
        }
        Path other = Files.createDirectories(tmp.resolve("offline"));
        try (WorkerTools tools = new WorkerTools(CodebaseSpec.parse(other.toString()), tmp.resolve("state2"), "bwrap",
                true)) {
            CallResult out = tools.run(call("e2", "offline", "bash", "{\"command\":\"curl -s -m 5 -o /dev/null -w "
                    + "'%{http_code}' http://127.0.0.1:" + port + "/pkg; echo \\\" exit=$?\\\"\"}"), OutputSink.DISCARD);
            assertFalse(out.getExecuted().getOutput().contains("200"), "without an allowlist there is no network: " + out);
        }
        assertTrue(WorkerEgress.of(List.of(" "), List.of(), tmp).isEmpty(), "no entries: no proxy at all");
        assertThrows(IllegalArgumentException.class, () -> WorkerEgress.of(List.of(), List.of("nope"), tmp));
    }

    private static Call call(String key, String codebase, String tool, String args) {
        return Call.newBuilder().setCallKey(key).setCodebase(codebase).setKind(CallKind.CALL_KIND_EXECUTE)
                .setToolName(tool).setArgumentsJson(args).setTimeoutMs(30_000).build();
    }

    @Test
    void commandsRunWhenTheStateDirectoryIsOutsideTmpAsTheDefaultUnderTheHomeIs() throws Exception {
        // the default --state-dir is ~/.local/state/...: not under /tmp, so bubblewrap needs its sandbox root to exist
        Path outside = Files.createDirectories(Path.of("target", "worker-state-test")).toAbsolutePath();
        Path state = Files.createTempDirectory(outside, "state").resolve("fresh");
        Path app = Files.createDirectories(tmp.resolve("app"));
        try (WorkerTools tools = new WorkerTools(CodebaseSpec.parse(app.toString()), state, "bwrap", true)) {
            CallResult bash = tools.run(call("k-out", "app", "bash", "{\"command\":\"echo ran >> ran.txt\"}"),
                    OutputSink.DISCARD);
            assertTrue(bash.getExecuted().getOk(), bash.toString());
            assertEquals("ran\n", Files.readString(app.resolve("ran.txt")));
        }
    }
}
