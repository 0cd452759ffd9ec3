package run.codetether.tools.infra.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import run.codetether.tools.domain.exec.Sandbox;

/**
 * The MCP stdio transport (newline-delimited JSON-RPC, as the SDK's {@code StdioClientTransport}) over a process the
 * tools sandbox started, because the SDK's transport starts its own {@code ProcessBuilder} and so cannot run a server
 * through the {@link Sandbox} port (bubblewrap, pids cgroup, rlimits, egress bridge). The protocol on top (handshake,
 * request ids, timeouts, results) is the SDK's client session; this class only moves lines.
 *
 * <p>Before any protocol message the server's environment goes over stdin as NUL-terminated {@code NAME=value}
 * records ended by an empty record ({@link #ENV_READER} reads them and execs the server), so secret values never
 * appear in a command line (readable by any local user in /proc) or a file. Lines the server prints to stdout that
 * are not JSON-RPC are skipped (and kept with its stderr for error messages) instead of ending the session, since
 * many servers log a banner there. The last {@value #TAIL_LINES} stderr lines explain a crash.
 *
 * <p>Everything written to the server's stdin (the environment, then each message) goes through one writer thread in
 * order, so lines never interleave and no lock is held around a pipe write (issue 20 point 5). A write blocks while
 * the server reads nothing; {@link #shutdown()} therefore kills the server first, which ends that write, and only
 * then closes stdin (closing first would wait on the stream's own lock behind the blocked write, forever).
 */
final class SandboxStdioTransport implements McpClientTransport {

    private static final Logger LOG = Logger.getLogger(SandboxStdioTransport.class);

    /**
     * bash in front of the server: reads the environment records from stdin (bash's read takes one byte at a time
     * from a pipe, so nothing past the last record is consumed), exports them, execs the server ("$@").
     */
    static final List<String> ENV_READER = List.of("/bin/bash", "-c",
            "while IFS= read -r -d '' kv; do [ -z \"$kv\" ] && break; export \"$kv\"; done; exec \"$@\"",
            "codetether-mcp");

    static final int TAIL_LINES = 20;

    private final Sandbox.Interactive process;
    private final McpJsonMapper json;
    private final Map<String, String> env;
    private final String server;
    private final int maxLineChars;
    private final Sinks.Many<JSONRPCMessage> inbound = Sinks.many().unicast().onBackpressureBuffer();
    private final ExecutorService writer;
    private final Deque<String> tail = new ArrayDeque<>();
    /** Completes when the server's stdout ends (it exited or closed it). */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean closing;

    SandboxStdioTransport(Sandbox.Interactive process, McpJsonMapper json, Map<String, String> env, String server,
            int maxLineChars) {
        this.process = process;
        this.json = json;
        this.env = env;
        this.server = server;
        this.maxLineChars = maxLineChars;
        this.writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mcp-out-" + server).factory());
    }

    /** Completes when the server's stdout ended. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** The process's exit code, once it exited. */
    CompletableFuture<Integer> exit() {
        return process.onExit();
    }

    /** The last lines the server wrote to stderr (and stray stdout lines), oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /**
     * Sends the environment and starts reading the server's stdout and stderr. Called before the client exists: the
     * SDK subscribes {@link #connect} asynchronously and may send {@code initialize} at once, which must never reach
     * the environment reader. Messages read before {@link #connect} wait in the inbound buffer.
     */
    void start() {
        writer.execute(this::writeEnvironment); // first in the writer's queue: before any message
        Thread.ofVirtual().name("mcp-in-" + server).start(this::readStdout);
        Thread.ofVirtual().name("mcp-err-" + server).start(this::readStderr);
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.<Void>fromRunnable(() -> inbound.asFlux().flatMap(m -> Mono.just(m).transform(handler))
                .subscribe(m -> {
                }, e -> LOG.debugf("MCP server %s: inbound handler failed: %s", server, e.toString())));
    }

    private void writeEnvironment() {
        try {
            OutputStream out = process.stdin();
            for (var e : env.entrySet()) {
                out.write((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            out.write(0);
            out.flush();
        } catch (IOException e) {
            // the server died before reading: its exit code and stderr say why
            LOG.debugf("MCP server %s: writing its environment failed: %s", server, e.getMessage());
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = readLine(in)) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JSONRPCMessage m;
                try {
                    m = McpSchema.deserializeJsonRpcMessage(json, line);
                } catch (Exception e) {
                    remember("(stdout, not JSON-RPC) " + abbreviate(line));
                    continue;
                }
                if (!inbound.tryEmitNext(m).isSuccess() && !closing) {
                    LOG.warnf("MCP server %s: could not hand a message to the client session", server);
                }
            }
        } catch (IOException e) {
            if (!closing) {
                remember("(stdout) " + e.getMessage());
            }
        } finally {
            inbound.tryEmitComplete();
            ended.complete(null);
        }
    }

    /** A line of at most maxLineChars; a longer one is read to its end and replaced by a note (never buffered). */
    private String readLine(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        boolean over = false;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (b.length() < maxLineChars) {
                b.append((char) c);
            } else {
                over = true;
            }
        }
        if (c == -1 && b.isEmpty()) {
            return null;
        }
        if (over) {
            remember("(stdout) a message longer than " + maxLineChars + " characters was dropped"
                    + " (codetether.tools.mcp.max-message-chars)");
            return "";
        }
        return b.toString();
    }

    private void readStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.stderr(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                remember(abbreviate(line));
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    private void remember(String line) {
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        if (closing || ended.isDone()) {
            return Mono.error(new IOException("MCP server '" + server + "' is not running"));
        }
        return Mono.fromFuture(CompletableFuture.runAsync(() -> write(message), writer));
    }

    private void write(JSONRPCMessage message) {
        try {
            String line = json.writeValueAsString(message).replace("\r\n", "\\n").replace("\n", "\\n")
                    .replace("\r", "\\n");
            OutputStream out = process.stdin(); // written by the writer thread only
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("MCP server '" + server + "' closed its stdin", e);
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.<Void>fromRunnable(this::shutdown).subscribeOn(Schedulers.boundedElastic());
    }

    /** Kills the server's process tree at once (it runs in a sandbox: nothing to flush on our side). */
    void shutdown() {
        closing = true;
        process.close(); // first: a write blocked on a full pipe fails once the server is gone
        writer.shutdownNow();
        try {
            process.stdin().close();
        } catch (IOException e) {
            // already gone
        }
        inbound.tryEmitComplete();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
