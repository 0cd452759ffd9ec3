package run.codetether.tools.infra.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.mcp.McpCallResult;
import run.codetether.tools.domain.mcp.McpConnection;
import run.codetether.tools.domain.mcp.McpContent;
import run.codetether.tools.domain.mcp.McpListing;
import run.codetether.tools.domain.mcp.McpServerSpec;
import run.codetether.tools.domain.mcp.McpTool;

/**
 * One initialized MCP client session on the official SDK ({@link McpAsyncClient}) over either transport. Every
 * request races three things: the answer, the server's death (a stdio server's stdout ended: reported at once with its
 * exit code and last stderr lines, not after the timeout) and our own deadline. After a timeout the server is pinged
 * in the background and closed when it does not answer that either, so a hung server is replaced on next use. A
 * server that exits (or is closed) while a {@code tools/call} runs makes that call INTERRUPTED, not UNAVAILABLE: the
 * request had reached it.
 */
final class SdkMcpConnection implements McpConnection {

    private static final Logger LOG = Logger.getLogger(SdkMcpConnection.class);
    private static final ObjectMapper JSON = run.codetether.platform.json.Json.mapper();
    private static final Duration PING = Duration.ofSeconds(3);

    private final McpServerSpec spec;
    private final McpAsyncClient client;
    private final SandboxStdioTransport stdio;
    private final Runnable release;
    private final CompletableFuture<Void> death;
    private volatile boolean closed;
    private volatile McpListing listing;
    private volatile McpSchema.InitializeResult init;

    private SdkMcpConnection(McpServerSpec spec, McpClientTransport transport, SandboxStdioTransport stdio,
            Runnable release, Duration requestTimeout, String clientVersion) {
        this.spec = spec;
        this.stdio = stdio;
        this.release = release;
        this.death = stdio == null ? new CompletableFuture<>() : stdio.ended();
        this.client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("codetether-tools", "CodeTether tools-service", clientVersion))
                .requestTimeout(requestTimeout)
                .initializationTimeout(requestTimeout)
                .capabilities(McpSchema.ClientCapabilities.builder().build())
                .toolsChangeConsumer(tools -> Mono.fromRunnable(() -> listing = null))
                .loggingConsumer(n -> Mono.fromRunnable(() -> LOG.debugf("MCP server %s log %s: %s", spec.name(),
                        n.level(), n.data())))
                .build();
    }

    /** Connects and completes the handshake within {@code timeout}; closes everything on failure. */
    static SdkMcpConnection open(McpServerSpec spec, McpClientTransport transport, SandboxStdioTransport stdio,
            Runnable release, Duration timeout, Duration requestTimeout, String clientVersion) {
        SdkMcpConnection c;
        try {
            c = new SdkMcpConnection(spec, transport, stdio, release, requestTimeout, clientVersion);
        } catch (RuntimeException e) {
            release.run();
            if (stdio != null) {
                stdio.shutdown();
            }
            throw new ToolException(Code.UNAVAILABLE, "MCP server '" + spec.name() + "' (" + spec.describe()
                    + "): cannot set up the client: " + e.getMessage());
        }
        try {
            c.init = c.await(c.client.initialize(), timeout, "the MCP handshake (initialize)");
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public McpListing list(Duration timeout) {
        McpListing cached = listing;
        if (cached != null) {
            return cached;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<McpTool> tools = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            McpSchema.ListToolsResult page = await(client.listTools(cursor),
                    Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())), "tools/list");
            for (McpSchema.Tool t : page.tools()) {
                tools.add(tool(t));
            }
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty() && ++pages < 100);
        McpSchema.Implementation info = init == null ? null : init.serverInfo();
        McpListing l = new McpListing(info == null ? "" : info.name() + " " + info.version(),
                init == null ? "" : init.instructions(), tools);
        listing = l;
        return l;
    }

    @Override
    public McpCallResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        McpSchema.CallToolResult r;
        try {
            r = await(client.callTool(new McpSchema.CallToolRequest(tool, arguments)), timeout,
                    "tools/call '" + tool + "'");
        } catch (ToolException e) {
            if (e.code() == Code.TIMEOUT) {
                checkAliveLater();
            }
            if (e.code() == Code.UNAVAILABLE && (closed || death.isDone())) {
                // the request was sent and the server went away before it answered: whether the tool did part of its
                // work is unknown, so this is not an ordinary failure, and the call is not run again (issue 19)
                throw new ToolException(Code.INTERRUPTED, e.getMessage() + "; the call did not complete and was not"
                        + " run again (it may have done part of its work: check before repeating it)", e);
            }
            throw e;
        }
        List<McpContent> content = new ArrayList<>();
        for (McpSchema.Content c : r.content() == null ? List.<McpSchema.Content>of() : r.content()) {
            content.add(content(c));
        }
        String structured = "";
        if (r.structuredContent() != null) {
            try {
                structured = JSON.writeValueAsString(r.structuredContent());
            } catch (JsonProcessingException e) {
                structured = "";
            }
        }
        return new McpCallResult(content, structured, Boolean.TRUE.equals(r.isError()));
    }

    @Override
    public boolean alive() {
        return !closed && !death.isDone();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing the MCP client of %s: %s", spec.name(), e.toString());
        }
        if (stdio != null) {
            stdio.shutdown();
        }
        release.run();
    }

    /** The answer of {@code request}, or a ToolException saying the server died, failed or did not answer in time. */
    private <T> T await(Mono<T> request, Duration timeout, String what) {
        CompletableFuture<T> answer = request.toFuture();
        try {
            CompletableFuture.anyOf(answer, death).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new ToolException(Code.TIMEOUT, "MCP server '" + spec.name() + "' did not answer " + what + " within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new ToolException(Code.UNAVAILABLE, "interrupted while waiting for MCP server '" + spec.name() + "'");
        } catch (ExecutionException e) {
            // the answer failed: reported below
        }
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            return answer.join();
        }
        if (!answer.isDone() && death.isDone() || closed) {
            answer.cancel(true);
            throw died(what);
        }
        Throwable cause = unwrap(answer);
        if (death.isDone()) {
            throw died(what);
        }
        throw failed(what, cause);
    }

    private ToolException died(String what) {
        if (closed && (stdio == null || !stdio.ended().isDone())) {
            return new ToolException(Code.UNAVAILABLE, "MCP server '" + spec.name() + "' was closed during " + what);
        }
        Integer code = null;
        try {
            code = stdio.exit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // still going down: report without the code
        }
        List<String> tail = stdio.tail();
        return new ToolException(Code.UNAVAILABLE, "MCP server '" + spec.name() + "' (" + spec.describe() + ") exited"
                + (code == null ? "" : " with code " + code) + " during " + what
                + (tail.isEmpty() ? " and wrote nothing to stderr" : "; its last stderr lines:\n" + String.join("\n", tail)));
    }

    private ToolException failed(String what, Throwable cause) {
        if (cause instanceof McpError err && err.getJsonRpcError() != null) {
            var j = err.getJsonRpcError();
            Code code = j.code() != null && (j.code() == -32601 || j.code() == -32602) ? Code.INVALID_ARGUMENT
                    : Code.UNAVAILABLE;
            return new ToolException(code, "MCP server '" + spec.name() + "' refused " + what + ": " + j.message()
                    + " (JSON-RPC error " + j.code() + ")");
        }
        String msg = McpError.aggregateExceptionMessages(cause);
        return new ToolException(Code.UNAVAILABLE, "MCP server '" + spec.name() + "' (" + spec.describe() + ") failed"
                + " during " + what + ": " + (msg == null || msg.isBlank() ? String.valueOf(cause) : msg));
    }

    private static Throwable unwrap(CompletableFuture<?> f) {
        try {
            f.join();
            return new IllegalStateException("no answer");
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    /** A server that answered nothing in time gets one ping; without a pong it is closed (and restarted on use). */
    private void checkAliveLater() {
        Thread.ofVirtual().name("mcp-ping-" + spec.name()).start(() -> {
            try {
                await(client.ping(), PING, "ping");
            } catch (RuntimeException e) {
                LOG.infof("MCP server %s did not answer a ping after a timed-out call; closing it (%s)", spec.name(),
                        e.getMessage());
                close();
            }
        });
    }

    private McpTool tool(McpSchema.Tool t) {
        McpSchema.ToolAnnotations a = t.annotations();
        return new McpTool(spec.name(), t.name(), t.title(), t.description(), json(t.inputSchema()),
                t.outputSchema() == null ? "" : json(t.outputSchema()), a == null ? null : a.readOnlyHint(),
                a == null ? null : a.destructiveHint(), a == null ? null : a.idempotentHint(),
                a == null ? null : a.openWorldHint());
    }

    private static String json(Object o) {
        try {
            return o == null ? "" : JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    static McpContent content(McpSchema.Content c) {
        return switch (c) {
            case McpSchema.TextContent t -> new McpContent.Text(t.text() == null ? "" : t.text());
            case McpSchema.ImageContent i -> new McpContent.Image(i.mimeType(), i.data() == null ? "" : i.data());
            case McpSchema.AudioContent a -> new McpContent.Audio(a.mimeType(), a.data() == null ? "" : a.data());
            case McpSchema.EmbeddedResource e -> switch (e.resource()) {
                case McpSchema.TextResourceContents tr -> new McpContent.Resource(tr.uri(), tr.mimeType(),
                        tr.text() == null ? "" : tr.text(), null);
                case McpSchema.BlobResourceContents br -> new McpContent.Resource(br.uri(), br.mimeType(), null,
                        br.blob() == null ? "" : br.blob());
                default -> new McpContent.Text("[embedded resource " + e.resource().uri() + " of an unknown kind]");
            };
            case McpSchema.ResourceLink l -> new McpContent.ResourceLink(l.uri(), l.name(), l.title(), l.description(),
                    l.mimeType());
            default -> new McpContent.Text("[content of type '" + c.type() + "' that CodeTether does not know]");
        };
    }
}
