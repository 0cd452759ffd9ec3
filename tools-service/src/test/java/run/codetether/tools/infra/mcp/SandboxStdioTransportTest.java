package run.codetether.tools.infra.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.infra.sandbox.SandboxLimits;
import run.codetether.tools.infra.sandbox.UnsandboxedRunner;

/**
 * The stdio transport over a real process (the host runner's) and its real pipes (issue 20 point 5: no lock around a pipe write). A
 * server that reads nothing blocks a large message in the pipe; {@code shutdown()} must still kill it at once (it used
 * to close stdin first, which waited on the stream's lock behind the blocked write until the server went away by
 * itself), and the blocked send must fail loudly. Messages sent from many threads reach a server whole and after
 * its environment.
 */
class SandboxStdioTransportTest {
    private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(Json.writingNulls());
    private static final Sandbox HOST = new UnsandboxedRunner(new SandboxLimits(120, 1L << 30, 64, 1L << 30, 256,
            1L << 30));

    @TempDir
    Path dir;

    @Test
    void shutdownKillsAServerThatReadsNothingWhileAWriteIsBlockedOnItsPipe() throws Exception {
        Sandbox.Interactive process = start(List.of("/bin/sleep", "120"));
        SandboxStdioTransport transport = new SandboxStdioTransport(process, JSON, Map.of("A", "1"), "silent", 1 << 20);
        transport.start();
        CompletableFuture<Void> sent = transport.sendMessage(new McpSchema.JSONRPCNotification("2.0", "big",
                Map.of("blob", "x".repeat(1 << 20)))).toFuture();
        Thread.sleep(500);
        assertFalse(sent.isDone(), "1 MiB cannot fit in the pipe of a server that reads nothing");

        long start = System.nanoTime();
        CompletableFuture<Void> shut = CompletableFuture.runAsync(transport::shutdown);
        shut.get(20, TimeUnit.SECONDS);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 10_000, "shutdown took " + took + " ms: it waited for the blocked write");
        assertFalse(process.isAlive(), "the server was killed");
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> sent.get(10, TimeUnit.SECONDS));
        assertInstanceOf(UncheckedIOException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("closed its stdin"), failed.getCause().getMessage());
    }

    @Test
    void messagesFromManyThreadsArriveWholeAndAfterTheEnvironment() throws Exception {
        List<String> argv = new ArrayList<>(SandboxStdioTransport.ENV_READER);
        argv.addAll(List.of("/bin/bash", "-c",
                "echo \"{\\\"jsonrpc\\\":\\\"2.0\\\",\\\"method\\\":\\\"env\\\",\\\"params\\\":\\\"$TOKEN\\\"}\"; exec cat"));
        Sandbox.Interactive process = start(argv);
        SandboxStdioTransport transport = new SandboxStdioTransport(process, JSON, Map.of("TOKEN", "t-42"), "echo",
                1 << 20);
        List<JSONRPCMessage> received = new CopyOnWriteArrayList<>();
        transport.start();
        transport.connect(m -> m.doOnNext(received::add)).block();
        try {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                sends.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 10; i++) {
                        transport.sendMessage(new McpSchema.JSONRPCNotification("2.0", "m-" + thread + "-" + i,
                                Map.of("blob", "y".repeat(100_000)))).block();
                    }
                }));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < 41 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(41, received.size(), "every message echoed whole; stray lines: " + transport.tail());
            McpSchema.JSONRPCNotification env = (McpSchema.JSONRPCNotification) received.get(0);
            assertEquals("env", env.method());
            assertEquals("t-42", env.params(), "the environment was read before any message");
            for (JSONRPCMessage m : received.subList(1, 41)) {
                McpSchema.JSONRPCNotification n = (McpSchema.JSONRPCNotification) m;
                assertEquals(100_000, ((String) ((Map<?, ?>) n.params()).get("blob")).length(), n.method());
            }
        } finally {
            transport.shutdown();
        }
    }

    /** A process started by the host runner: the same pipes as in bubblewrap, without its setup cost. */
    private Sandbox.Interactive start(List<String> argv) {
        return HOST.startWithStderr(new ExecSpec(argv, dir, dir, Duration.ofMinutes(3), 1 << 20));
    }
}
