package run.codetether.agent.support;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import run.codetether.contracts.tools.v1.CloseSessionRequest;
import run.codetether.contracts.tools.v1.CloseSessionResponse;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.ListToolsResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.contracts.tools.v1.ToolSpec;

/**
 * A real ToolService on loopback for tests: read_file, write_file, edit, list_dir and bash (with its timeout in
 * seconds, default 30) over one temp
 * workspace per session, idempotent by (session_id, call_id) as the contract demands (a repeated call id gets the
 * stored result with replayed=true and is not applied again). Not sandboxed: test use only.
 */
public final class FileToolsGrpcServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server;
    private final Path root;
    private final Map<String, ExecuteResponse> results = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    private final AtomicInteger executeCalls = new AtomicInteger();
    /** What ListMcpTools and CallMcpTool answer (tools-service's MCP side is tested against real servers there). */
    private volatile McpSide mcp = McpSide.NONE;

    /** A scripted MCP side of tools-service: answers for ListMcpTools and CallMcpTool, and what it was asked. */
    public interface McpSide {
        run.codetether.contracts.tools.v1.ListMcpToolsResponse list(run.codetether.contracts.tools.v1.ListMcpToolsRequest r);

        run.codetether.contracts.tools.v1.CallMcpToolResponse call(run.codetether.contracts.tools.v1.CallMcpToolRequest r);

        McpSide NONE = new McpSide() {
            @Override
            public run.codetether.contracts.tools.v1.ListMcpToolsResponse list(
                    run.codetether.contracts.tools.v1.ListMcpToolsRequest r) {
                throw Status.UNIMPLEMENTED.withDescription("no MCP side in this test").asRuntimeException();
            }

            @Override
            public run.codetether.contracts.tools.v1.CallMcpToolResponse call(
                    run.codetether.contracts.tools.v1.CallMcpToolRequest r) {
                throw Status.UNIMPLEMENTED.withDescription("no MCP side in this test").asRuntimeException();
            }
        };
    }

    public void mcp(McpSide side) {
        this.mcp = side;
    }

    public FileToolsGrpcServer(Path root) throws IOException {
        this(root, 0);
    }

    public FileToolsGrpcServer(Path root, int port) throws IOException {
        this.root = root;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(new Service()).build().start();
    }

    public int port() {
        return server.getPort();
    }

    public Path workspace(String sessionId) {
        Path ws = root.resolve(sessionId.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(ws);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ws;
    }

    /** How often the call was really applied (not replayed). */
    public int appliedCount(String sessionId, String callId) {
        AtomicInteger n = applied.get(sessionId + "/" + callId);
        return n == null ? 0 : n.get();
    }

    public int executeCalls() {
        return executeCalls.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ToolSpec spec(String name, String desc, String schema) {
        // as tools-service declares them: the readers are read-only, bash streams its output
        boolean readOnly = name.equals("read_file") || name.equals("list_dir");
        return ToolSpec.newBuilder().setName(name).setDescription(desc).setParametersJsonSchema(schema)
                .setReadOnly(readOnly).setStreams(name.equals("bash")).build();
    }

    private final class Service extends ToolServiceGrpc.ToolServiceImplBase {
        @Override
        public void list(ListToolsRequest request, StreamObserver<ListToolsResponse> out) {
            out.onNext(ListToolsResponse.newBuilder().addAllTools(List.of(
                    spec("read_file", "Read a file", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
                    spec("write_file", "Write a file", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}},\"required\":[\"path\",\"content\"]}"),
                    spec("edit", "Replace text in a file", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"old_string\":{\"type\":\"string\"},\"new_string\":{\"type\":\"string\"}},\"required\":[\"path\",\"old_string\",\"new_string\"]}"),
                    spec("list_dir", "List a directory", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"),
                    spec("bash", "Run a shell command", "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},\"timeout\":{\"type\":\"integer\"}},\"required\":[\"command\"]}")))
                    .build());
            out.onCompleted();
        }

        @Override
        public void execute(ExecuteRequest req, StreamObserver<ExecuteResponse> out) {
            executeCalls.incrementAndGet();
            if (req.getSessionId().isBlank() || req.getCallId().isBlank()) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("session_id and call_id are required").asRuntimeException());
                return;
            }
            String key = req.getSessionId() + "/" + req.getCallId();
            ExecuteResponse stored = results.get(key);
            if (stored != null) {
                out.onNext(stored.toBuilder().setReplayed(true).build());
                out.onCompleted();
                return;
            }
            ExecuteResponse r;
            synchronized (this) {
                stored = results.get(key);
                if (stored != null) {
                    r = stored.toBuilder().setReplayed(true).build();
                } else {
                    r = run(req);
                    applied.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    results.put(key, r);
                }
            }
            out.onNext(r);
            out.onCompleted();
        }

        @Override
        public void executeStream(ExecuteRequest req, StreamObserver<ExecuteChunk> out) {
            execute(req, new StreamObserver<>() {
                @Override
                public void onNext(ExecuteResponse r) {
                    out.onNext(ExecuteChunk.newBuilder().setResult(r).build());
                }

                @Override
                public void onError(Throwable t) {
                    out.onError(t);
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            });
        }

        @Override
        public void listMcpTools(run.codetether.contracts.tools.v1.ListMcpToolsRequest req,
                StreamObserver<run.codetether.contracts.tools.v1.ListMcpToolsResponse> out) {
            try {
                out.onNext(mcp.list(req));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void callMcpTool(run.codetether.contracts.tools.v1.CallMcpToolRequest req,
                StreamObserver<run.codetether.contracts.tools.v1.CallMcpToolResponse> out) {
            try {
                out.onNext(mcp.call(req));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void closeSession(CloseSessionRequest req, StreamObserver<CloseSessionResponse> out) {
            results.keySet().removeIf(k -> k.startsWith(req.getSessionId() + "/"));
            out.onNext(CloseSessionResponse.newBuilder().setClosed(true).build());
            out.onCompleted();
        }

        private ExecuteResponse run(ExecuteRequest req) {
            ExecuteResponse.Builder b = ExecuteResponse.newBuilder().setCallId(req.getCallId());
            Path ws = workspace(req.getSessionId());
            try {
                JsonNode a = JSON.readTree(req.getArgumentsJson());
                switch (req.getToolName()) {
                    case "read_file" -> b.setOk(true).setOutput(Files.readString(resolve(ws, a.path("path").asText())));
                    case "write_file" -> {
                        Path p = resolve(ws, a.path("path").asText());
                        Files.createDirectories(p.getParent());
                        Files.writeString(p, a.path("content").asText());
                        b.setOk(true).setOutput("wrote " + a.path("path").asText())
                                .setMetadataJson("{\"files_changed\":[\"" + a.path("path").asText() + "\"]}");
                    }
                    case "edit" -> {
                        Path p = resolve(ws, a.path("path").asText());
                        String text = Files.readString(p);
                        String old = a.path("old_string").asText();
                        if (!text.contains(old)) {
                            return b.setOk(false).setError("old_string not found in " + a.path("path").asText()).build();
                        }
                        Files.writeString(p, text.replace(old, a.path("new_string").asText()));
                        b.setOk(true).setOutput("edited " + a.path("path").asText())
                                .setMetadataJson("{\"files_changed\":[\"" + a.path("path").asText() + "\"]}");
                    }
                    case "list_dir" -> {
                        try (var s = Files.list(resolve(ws, a.path("path").asText(".")))) {
                            b.setOk(true).setOutput(String.join("\n", s.map(p -> p.getFileName().toString()).sorted().toList()));
                        }
                    }
                    case "bash" -> {
                        Process p = new ProcessBuilder("bash", "-c", a.path("command").asText()).directory(ws.toFile())
                                .redirectErrorStream(true).start();
                        boolean done = p.waitFor(a.path("timeout").asInt(30), TimeUnit.SECONDS);
                        if (!done) {
                            // kill the tree first: reading the output of a live process would wait for its end
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                            return b.setOk(false).setError("TIMEOUT: command timed out").build();
                        }
                        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        b.setOk(p.exitValue() == 0).setOutput(output).setExitCode(p.exitValue());
                        if (p.exitValue() != 0) {
                            b.setError("exit code " + p.exitValue());
                        }
                    }
                    default -> b.setOk(false).setError("unknown tool " + req.getToolName());
                }
            } catch (SecurityException e) {
                b.setOk(false).setError(e.getMessage());
            } catch (Exception e) {
                b.setOk(false).setError(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return b.build();
        }

        private Path resolve(Path ws, String rel) {
            Path p = ws.resolve(rel).normalize();
            if (!p.startsWith(ws)) {
                throw new SecurityException("path escapes the workspace: " + rel);
            }
            return p;
        }
    }
}
