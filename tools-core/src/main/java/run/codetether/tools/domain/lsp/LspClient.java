package run.codetether.tools.domain.lsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/**
 * A minimal Language Server Protocol client over a server's stdio: Content-Length framed JSON-RPC, requests matched
 * to responses by id, diagnostics collected per document, and the server's own requests (configuration,
 * capability registration, progress) answered so servers that ask do not stall.
 *
 * <p>Frames go out through one writer thread and a queue, not under a lock (issue 20 point 5): the framing needs one
 * writer at a time, and a pipe write blocks while the server is not reading. With a lock, the reader thread's answer
 * to a server request would wait behind a caller's blocked write, and so stop reading the server's output, which a
 * server that is itself blocked writing to us never gets past. Now the reader only queues its answers.
 */
public final class LspClient implements AutoCloseable {

    private static final ObjectMapper JSON = Json.mapper();

    private final OutputStream out;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<JsonNode>> diagnostics = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Thread writer;
    private final BlockingQueue<Frame> outbox = new LinkedBlockingQueue<>();
    /** Why the server's input cannot be written to any more; null while it can. */
    private volatile IOException broken;
    private final java.util.List<String> serverErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LspClient(InputStream in, OutputStream out) {
        this.out = out;
        this.reader = Thread.ofVirtual().name("lsp-in").start(() -> readLoop(in));
        this.writer = Thread.ofVirtual().name("lsp-out").start(this::writeLoop);
    }

    /** One whole frame (header and body) and whoever waits for it to be written. */
    private record Frame(byte[] bytes, CompletableFuture<Void> written) {}

    public JsonNode request(String method, JsonNode params, Duration timeout) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        msg.set("params", params);
        // a write that fails ends the request at once; one that blocks (the server reads nothing) counts against the
        // request's timeout, as the answer does
        enqueue(msg).whenComplete((done, e) -> {
            if (e != null) {
                f.completeExceptionally(closedInput(e));
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ToolException(Code.TIMEOUT, "language server did not answer " + method + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new ToolException(Code.UNAVAILABLE, "language server failed " + method + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Code.UNAVAILABLE, "interrupted waiting for " + method);
        } finally {
            pending.remove(id);
        }
    }

    public void notify(String method, JsonNode params) {
        ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        msg.set("params", params);
        try {
            enqueue(msg).get();
        } catch (ExecutionException e) {
            throw closedInput(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Code.UNAVAILABLE, "interrupted sending " + method);
        }
    }

    /**
     * Diagnostics the server publishes for {@code uri}. Servers often publish an empty list first and the real one
     * after analysis, so an empty first answer waits a little longer for a later one.
     */
    public JsonNode awaitDiagnostics(String uri, Duration timeout) {
        try {
            JsonNode first = queue(uri).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                throw new ToolException(Code.TIMEOUT, "language server published no diagnostics within "
                        + timeout.toSeconds() + " s");
            }
            JsonNode latest = first;
            while (latest.isEmpty()) {
                JsonNode next = queue(uri).poll(3, TimeUnit.SECONDS);
                if (next == null) {
                    break;
                }
                latest = next;
            }
            return latest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Code.UNAVAILABLE, "interrupted waiting for diagnostics");
        }
    }

    private BlockingQueue<JsonNode> queue(String uri) {
        return diagnostics.computeIfAbsent(uri, k -> new LinkedBlockingQueue<>());
    }

    /** Queues a whole frame for the writer thread; the future completes once it is written (or cannot be). */
    private CompletableFuture<Void> enqueue(JsonNode msg) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(msg);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an LSP message: " + e.getMessage(), e);
        }
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[header.length + body.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        System.arraycopy(body, 0, frame, header.length, body.length);
        Frame f = new Frame(frame, new CompletableFuture<>());
        outbox.add(f);
        if (broken != null) {
            failQueued(); // the writer may have stopped before this frame was queued: nobody else would fail it
        }
        return f.written();
    }

    private void writeLoop() {
        try {
            while (true) {
                Frame f = outbox.take();
                try {
                    out.write(f.bytes());
                    out.flush();
                    f.written().complete(null);
                } catch (IOException e) {
                    broken = e;
                    f.written().completeExceptionally(e);
                    failQueued();
                    return;
                }
            }
        } catch (InterruptedException closed) {
            broken = new IOException("LSP client closed");
            failQueued();
        }
    }

    private void failQueued() {
        Frame f;
        while ((f = outbox.poll()) != null) {
            f.written().completeExceptionally(broken);
        }
    }

    private static ToolException closedInput(Throwable e) {
        return new ToolException(Code.UNAVAILABLE, "language server closed its input: " + e.getMessage());
    }

    private void readLoop(InputStream in) {
        try (in) {
            while (true) {
                int length = -1;
                String line;
                while (!(line = readLine(in)).isEmpty()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                if (length < 0) {
                    throw new IOException("frame without Content-Length");
                }
                JsonNode msg = JSON.readTree(in.readNBytes(length));
                dispatch(msg);
            }
        } catch (IOException | RuntimeException e) {
            ToolException gone = new ToolException(Code.UNAVAILABLE, "language server stopped: " + e.getMessage());
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    private void dispatch(JsonNode msg) {
        if (msg.has("id") && (msg.has("result") || msg.has("error")) && !msg.has("method")) {
            CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
            if (f != null) {
                if (msg.has("error")) {
                    f.completeExceptionally(new IllegalStateException(msg.get("error").path("message").asText()));
                } else {
                    f.complete(msg.get("result"));
                }
            }
            return;
        }
        String method = msg.path("method").asText();
        if (msg.has("id")) {
            // A request from the server: answer so it does not wait for us.
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
            reply.set("id", msg.get("id"));
            if (method.equals("workspace/configuration")) {
                var arr = JSON.createArrayNode();
                msg.path("params").path("items").forEach(i -> arr.addNull());
                reply.set("result", arr);
            } else {
                reply.putNull("result");
            }
            enqueue(reply); // not awaited: the reader goes on reading while the writer delivers it
        } else if ((method.equals("window/logMessage") || method.equals("window/showMessage"))
                && msg.path("params").path("type").asInt() == 1) {
            serverErrors.add(msg.path("params").path("message").asText());
        } else if (method.equals("textDocument/publishDiagnostics")) {
            String uri = msg.path("params").path("uri").asText();
            JsonNode d = msg.path("params").path("diagnostics");
            queue(uri).add(d);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("end of stream");
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Error-level messages the server logged (e.g. its worker crashed); empty when all went well. */
    public java.util.List<String> serverErrors() {
        return java.util.List.copyOf(serverErrors);
    }

    @Override
    public void close() {
        reader.interrupt();
        writer.interrupt();
    }
}
