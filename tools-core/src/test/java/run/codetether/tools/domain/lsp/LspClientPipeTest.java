package run.codetether.tools.domain.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.ToolException;

/**
 * The LSP client over real OS pipes with a server that reads nothing for a while (issue 20 point 5). A caller's
 * large notification fills the pipe and blocks in the write; the server meanwhile asks the client something and
 * publishes diagnostics. The client's reader must still hand the diagnostics on: its answer to the server's request
 * waits in the writer's queue, not behind the caller's blocked write (with {@code synchronized send}, the reader
 * blocked there and the diagnostics never arrived). Once the server reads, the frames arrive whole and in order.
 */
class LspClientPipeTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final String URI = "file:///work/a.ts";

    @Test
    void theReaderGoesOnWhileACallerIsBlockedWritingToAServerThatReadsNothing() throws Exception {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        InputStream serverIn = Channels.newInputStream(toServer.source());
        OutputStream serverOut = Channels.newOutputStream(toClient.sink());
        // own threads: the common pool may have a single thread on a small machine
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                LspClient lsp = new LspClient(Channels.newInputStream(toClient.source()),
                        Channels.newOutputStream(toServer.sink()))) {
            String text = "x".repeat(1 << 20); // far more than a pipe holds (64 KiB on Linux)
            ObjectNode open = JSON.createObjectNode();
            open.putObject("textDocument").put("uri", URI).put("text", text);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().name("lsp-caller").start(() -> {
                try {
                    lsp.notify("textDocument/didOpen", open);
                    sent.complete(null);
                } catch (RuntimeException e) {
                    sent.completeExceptionally(e);
                }
            });
            awaitWaiting(caller); // its frame is queued (the writer is blocked on it) before the server speaks

            ObjectNode ask = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", "s1")
                    .put("method", "workspace/configuration");
            ask.putObject("params").putArray("items").addObject();
            frame(serverOut, ask);
            ObjectNode publish = JSON.createObjectNode().put("jsonrpc", "2.0")
                    .put("method", "textDocument/publishDiagnostics");
            publish.putObject("params").put("uri", URI).putArray("diagnostics").addObject().put("message", "bad");
            frame(serverOut, publish);

            JsonNode diagnostics = lsp.awaitDiagnostics(URI, Duration.ofSeconds(10));
            assertEquals("bad", diagnostics.get(0).path("message").asText());
            assertFalse(sent.isDone(), "the notification should still be blocked on the full pipe");

            // the server reads now: the blocked frame whole, then the queued answer to its request
            JsonNode first = read(serverIn);
            assertEquals("textDocument/didOpen", first.path("method").asText());
            assertEquals(text, first.path("params").path("textDocument").path("text").asText());
            JsonNode second = read(serverIn);
            assertEquals("s1", second.path("id").asText());
            assertTrue(second.path("result").isArray() && second.path("result").get(0).isNull(), second.toString());
            sent.get(10, TimeUnit.SECONDS);

            CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(
                    () -> lsp.request("shutdown", null, Duration.ofSeconds(10)), threads);
            JsonNode request = read(serverIn);
            assertEquals("shutdown", request.path("method").asText());
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
            reply.set("id", request.get("id"));
            reply.put("result", "bye");
            frame(serverOut, reply);
            assertEquals("bye", answer.get(10, TimeUnit.SECONDS).asText());
        }
    }

    @Test
    void aServerThatClosedItsInputFailsTheCallerLoudly() throws Exception {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        toServer.source().close();
        try (LspClient lsp = new LspClient(Channels.newInputStream(toClient.source()),
                Channels.newOutputStream(toServer.sink()))) {
            ToolException e = org.junit.jupiter.api.Assertions.assertThrows(ToolException.class,
                    () -> lsp.notify("initialized", JSON.createObjectNode()));
            assertEquals(ToolException.Code.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("closed its input"), e.getMessage());
            ToolException later = org.junit.jupiter.api.Assertions.assertThrows(ToolException.class,
                    () -> lsp.request("shutdown", null, Duration.ofSeconds(10)));
            assertEquals(ToolException.Code.UNAVAILABLE, later.code(), later.getMessage());
        }
    }

    /** Until the thread waits for its frame to be written (it queued it). */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the caller never waited: " + t.getState());
            Thread.sleep(5);
        }
    }

    private static void frame(OutputStream out, JsonNode msg) throws IOException {
        byte[] body = JSON.writeValueAsBytes(msg);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static JsonNode read(InputStream in) throws IOException {
        int length = -1;
        String line;
        while (!(line = line(in)).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        assertTrue(length >= 0, "a frame without Content-Length");
        return JSON.readTree(in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
