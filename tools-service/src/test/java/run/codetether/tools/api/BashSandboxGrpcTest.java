package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;
import static run.codetether.tools.api.GrpcCalls.json;
import static run.codetether.tools.api.GrpcCalls.meta;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * bash over gRPC and the escape suite: every attack is contained, and afterwards the service and another session
 * still work.
 */
@QuarkusTest
class BashSandboxGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    GrpcCalls c;
    GrpcCalls other;

    @BeforeEach
    void sessions() {
        c = new GrpcCalls(stub);
        other = new GrpcCalls(stub);
    }

    ExecuteResponse bash(String command, int timeoutSeconds) {
        return c.call("bash", json("command", command, "timeout", timeoutSeconds));
    }

    void stillHealthy() {
        var r = other.call("bash", json("command", "echo alive"));
        assertTrue(r.getOk(), r.getError());
        assertEquals("alive\n", r.getOutput());
    }

    @Test
    void runsInTheWorkspaceWithExitCodeAndStderr() {
        var r = bash("pwd; echo out; echo err >&2; exit 3", 10);
        assertFalse(r.getOk());
        assertEquals(3, r.getExitCode());
        assertThat(r.getOutput()).startsWith(Path.of("target/test-workspaces", c.session).toAbsolutePath() + "\nout\n")
                .contains("--- stderr ---\nerr");
        assertThat(r.getError()).contains("exited with code 3");
        var ok = c.call("bash", json("command", "mkdir -p sub && cd sub && touch f && ls", "cwd", "."));
        assertTrue(ok.getOk(), ok.getError());
        assertEquals(0, ok.getExitCode());
        assertThat(c.call("bash", json("command", "ls", "cwd", "../..")).getError()).startsWith("PATH_REFUSED");
        assertThat(c.call("bash", json("command", "")).getError()).contains("must not be empty");
        assertThat(c.call("bash", json()).getError()).contains("'command' is required");
    }

    @Test
    void streamsOutputBeforeTheResult() {
        List<ExecuteChunk> chunks = new ArrayList<>();
        stub.executeStream(c.request(UUID.randomUUID().toString(), "bash",
                json("command", "echo first; sleep 0.3; echo second >&2; sleep 0.3; echo third")))
                .forEachRemaining(chunks::add);
        var last = chunks.get(chunks.size() - 1);
        assertTrue(last.hasResult());
        assertTrue(last.getResult().getOk());
        List<String> streamed = chunks.subList(0, chunks.size() - 1).stream()
                .map(ch -> ch.hasStdout() ? "out:" + ch.getStdout() : "err:" + ch.getStderr()).toList();
        assertEquals(List.of("out:first\n", "err:second\n", "out:third\n"), streamed);
    }

    @Test
    void cancellingTheStreamKillsTheCommand() throws Exception {
        String marker = "2345." + (System.nanoTime() % 100000);
        String callId = UUID.randomUUID().toString();
        String command = json("command", "sleep " + marker + " & echo started; wait", "timeout", 300);
        java.util.Iterator<ExecuteChunk> it;
        try (io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation()) {
            it = ctx.call(() -> stub.executeStream(c.request(callId, "bash", command)));
            assertEquals("started\n", it.next().getStdout());
            List<ProcessHandle> running = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
            assertFalse(running.isEmpty(), "the command runs while the stream is open");
            ctx.cancel(null);
            for (ProcessHandle p : running) {
                // Bounded wait on the exit event (the service checks for cancellation every 250 ms).
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        // The caller's successor repeats the call id: the killed command is INTERRUPTED, not a result (exit 137)
        // the model would read as the command's own, and it is not run again.
        ExecuteResponse again = c.callWithId(callId, "bash", command);
        assertTrue(again.getReplayed() && again.getInterrupted() && !again.getOk(), again.toString());
        assertThat(again.getError()).startsWith("INTERRUPTED: the caller went away while this call ran");
        stillHealthy();
    }

    @Test
    void noNetworkNotEvenToALoopbackServerOnTheHost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            int port = server.getLocalPort();
            var r = bash("exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo CONNECTED; cat /sys/class/net/*/operstate;"
                    + " ls /sys/class/net", 10);
            // Only the sandbox's own loopback exists, and the host's server is not on it.
            assertThat(r.getOutput()).doesNotContain("CONNECTED").contains("/dev/tcp/127.0.0.1/" + port)
                    .contains("\nlo\n");
            server.setSoTimeout(200);
            try (Socket s = server.accept()) {
                accepted.incrementAndGet();
            } catch (SocketTimeoutException expected) {
                // nothing reached the host's loopback server
            }
            assertEquals(0, accepted.get());
            // Positive control: the server itself is reachable from the host.
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port); Socket in = server.accept()) {
                assertTrue(in.isConnected());
            }
        }
        stillHealthy();
    }

    @Test
    void writesOutsideTheWorkspaceFail() throws IOException {
        other.call("write_file", json("path", "secret.txt", "content", "other session"));
        Path otherWs = Path.of("target/test-workspaces", other.session).toAbsolutePath();
        var r = bash("echo x > /etc/codetether-escape; echo y > /usr/codetether-escape; touch ../escape;"
                + " echo tmp > /tmp/codetether-escape-" + c.session + "; cat " + otherWs + "/secret.txt;"
                + " echo pwn > " + otherWs + "/secret.txt; echo done", 10);
        assertThat(r.getOutput()).contains("Read-only file system").doesNotContain("other session").contains("done");
        assertFalse(Files.exists(Path.of("/etc/codetether-escape")));
        assertFalse(Files.exists(Path.of("/usr/codetether-escape")));
        assertFalse(Files.exists(Path.of("/tmp/codetether-escape-" + c.session)));
        assertEquals("other session", Files.readString(otherWs.resolve("secret.txt")));
        var env = bash("env", 10);
        assertThat(env.getOutput()).doesNotContain("JAVA_HOME").doesNotContain("MAVEN");
        stillHealthy();
    }

    @Test
    void symlinkAndDotDotTraversalAreRefused() throws IOException {
        var r = bash("ln -s /etc/passwd pw && ln -s / root && ln -s ../.. up && echo linked", 10);
        assertThat(r.getOutput()).contains("linked");
        assertThat(c.call("read_file", json("path", "pw")).getError()).startsWith("PATH_REFUSED");
        assertThat(c.call("write_file", json("path", "root/tmp/x", "content", "x")).getError())
                .startsWith("PATH_REFUSED");
        assertThat(c.call("list_dir", json("path", "up")).getError()).startsWith("PATH_REFUSED");
        assertThat(c.call("read_file", json("path", "../" + other.session + "/x")).getError())
                .startsWith("PATH_REFUSED");
        assertThat(c.call("grep", json("pattern", "root", "path", "root/etc")).getError()).startsWith("PATH_REFUSED");
        // grep over the workspace does not follow the links out
        assertThat(c.call("grep", json("pattern", "root:x:0")).getOutput()).startsWith("No matches");
        stillHealthy();
    }

    @Test
    void forkBombIsContained() throws IOException {
        // Without a pids cgroup only the wall-clock limit would stop it: too rough for a shared CI host.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                run.codetether.tools.infra.sandbox.PidsCgroup.parent().isPresent(), "no writable pids cgroup here");
        var r = bash(":(){ :|:& };:; sleep 2; echo survived", 8);
        // The pids cgroup makes fork fail inside the sandbox; the call returns and everything in it is gone.
        assertThat(r.getOutput()).contains("fork");
        try (var groups = Files.list(Path.of("/sys/fs/cgroup/pids/codetether-tools"))) {
            for (Path g : groups.filter(Files::isDirectory).toList()) {
                Path procs = g.resolve("cgroup.procs");
                if (Files.exists(procs) && !g.getFileName().toString().startsWith("probe-")) {
                    assertThat(Files.readString(procs).strip()).as("processes left in " + g).isEqualTo("");
                }
            }
        }
        stillHealthy();
    }

    @Test
    void memoryHogIsStopped() {
        var r = bash("python3 -c 'x = bytearray(3 * 1024**3); print(\"ALLOCATED\")'", 20);
        assertFalse(r.getOk());
        assertThat(r.getOutput()).doesNotContain("ALLOCATED").contains("MemoryError");
        stillHealthy();
    }

    @Test
    void outputFloodIsCutAndKilled() {
        var r = bash("yes flood", 30);
        assertFalse(r.getOk());
        assertTrue(r.getTruncated());
        assertThat(r.getOutput()).contains("[Output truncated:");
        assertTrue(r.getOutput().length() < 50_000 + 200, "kept output is capped: " + r.getOutput().length());
        assertFalse(meta(r).get("timed_out").asBoolean(), "the flood limit, not the timeout, stopped it");
        var small = bash("seq 1 20000", 10);
        assertTrue(small.getTruncated());
        assertTrue(small.getOk());
        stillHealthy();
    }

    @Test
    void aCommandIgnoringSigtermIsKilledWithItsWholeTreeAtTheTimeout() {
        String marker = "1234." + (System.nanoTime() % 100000);
        var r = bash("trap '' TERM; (trap '' TERM; sleep " + marker + ") & sleep " + marker + "; echo never", 2);
        assertFalse(r.getOk());
        assertTrue(meta(r).get("timed_out").asBoolean());
        assertThat(r.getError()).startsWith("TIMEOUT").contains("whole process tree");
        assertThat(r.getOutput()).doesNotContain("never");
        boolean left = ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(marker));
        assertFalse(left, "no process of the timed-out tree survives");
        stillHealthy();
    }

    @Test
    void fileSizeLimitHolds() {
        var r = bash("head -c 20000000 /dev/zero > big.bin; echo rc=$?; stat -c %s big.bin", 10);
        assertThat(r.getOutput()).contains("File size limit exceeded").contains("10485760");
        stillHealthy();
    }
}
