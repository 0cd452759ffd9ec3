package run.codetether.cli.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import run.codetether.platform.json.Json;

/**
 * {@code codetether mcp serve}'s proxy: an MCP client of the gateway's {@code /mcp} (streamable HTTP, the CLI's
 * credentials) and an MCP server on stdio that offers exactly the tools the gateway lists and forwards every call,
 * so the two never drift. Progress notifications of a forwarded call travel back to the stdio client under the
 * client's own progress token (each forwarded call gets a fresh token towards the gateway, so two stdio calls can
 * never mix their progress). A gateway failure during a call is a tool error naming it, never a hang: every call
 * to the gateway has a deadline.
 */
public final class GatewayMcpProxy implements AutoCloseable {
    /** Routes the gateway's progress for a forwarded call back to the stdio client's exchange and token. */
    private record Route(McpAsyncServerExchange exchange, Object clientToken) {}

    private final McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.mapper());
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private final URI endpoint;
    private final Duration connectTimeout;
    private McpAsyncClient gateway;
    private McpAsyncServer server;
    private List<McpSchema.Tool> tools = List.of();

    private GatewayMcpProxy(URI endpoint, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Connects to the gateway and lists its tools; nothing is served yet.
     *
     * @param endpoint the gateway's MCP endpoint (e.g. {@code http://localhost:8080/mcp})
     * @param apiKey sent as {@code Authorization: Bearer}, as every CLI command does; null for an open gateway
     * @param callTimeout the longest a forwarded call may take (codetether_run waits for the task's end)
     * @throws GatewayMcpException when the gateway cannot be reached, refuses the credentials or is no MCP server
     */
    public static GatewayMcpProxy connect(URI endpoint, String apiKey, Duration connectTimeout, Duration callTimeout,
            String version) throws GatewayMcpException {
        GatewayMcpProxy proxy = new GatewayMcpProxy(endpoint, connectTimeout);
        String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(origin)
                .endpoint(endpoint.getRawPath().isEmpty() ? "/mcp" : endpoint.getRawPath())
                .jsonMapper(proxy.mapper)
                .connectTimeout(connectTimeout)
                .httpRequestCustomizer((builder, method, uri, body, context) -> {
                    if (apiKey != null && !apiKey.isBlank()) {
                        builder.setHeader("Authorization", "Bearer " + apiKey);
                    }
                })
                .build();
        proxy.gateway = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("codetether-mcp-serve", version))
                .initializationTimeout(connectTimeout)
                .requestTimeout(callTimeout)
                .progressConsumer(proxy::relay)
                .build();
        try {
            proxy.gateway.initialize().block(connectTimeout.plusSeconds(5));
            proxy.tools = proxy.listAll();
        } catch (RuntimeException e) {
            proxy.closeQuietly();
            throw GatewayMcpException.of(endpoint, e);
        }
        if (proxy.tools.isEmpty()) {
            proxy.closeQuietly();
            throw new GatewayMcpException(GatewayMcpException.Kind.GATEWAY_ERROR,
                    "the gateway's MCP endpoint " + endpoint + " lists no tools");
        }
        return proxy;
    }

    /** The gateway's tools, as the stdio client will see them. */
    public List<McpSchema.Tool> tools() {
        return tools;
    }

    /** Starts serving on {@code in}/{@code out} (MCP's newline-delimited JSON-RPC); returns at once. */
    public void serve(InputStream in, OutputStream out, String version) {
        List<McpServerFeatures.AsyncToolSpecification> specs = new ArrayList<>();
        for (McpSchema.Tool tool : tools) {
            specs.add(McpServerFeatures.AsyncToolSpecification.builder().tool(tool).callHandler(this::forward).build());
        }
        String instructions = gateway.getServerInstructions();
        var spec = McpServer.async(new StdioServerTransportProvider(mapper, in, out))
                .serverInfo("codetether", version)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                // the gateway validates the arguments and answers with its own error; one validator, not two
                .validateToolInputs(false)
                .jsonMapper(mapper)
                .tools(specs);
        if (instructions != null && !instructions.isBlank()) {
            spec.instructions(instructions);
        }
        server = spec.build();
    }

    private List<McpSchema.Tool> listAll() {
        List<McpSchema.Tool> all = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = gateway.listTools(cursor).block(connectTimeout.plusSeconds(5));
            if (page == null) {
                break;
            }
            all.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return List.copyOf(all);
    }

    private Mono<McpSchema.CallToolResult> forward(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call) {
        Object clientToken = call.progressToken();
        String relayToken = clientToken == null ? null : "codetether-relay-" + tokens.incrementAndGet();
        if (relayToken != null) {
            routes.put(relayToken, new Route(exchange, clientToken));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        if (call.meta() != null) {
            meta.putAll(call.meta());
        }
        meta.remove("progressToken");
        McpSchema.CallToolRequest.Builder out = McpSchema.CallToolRequest.builder(call.name())
                .arguments(call.arguments() == null ? Map.of() : call.arguments());
        if (!meta.isEmpty()) {
            out.meta(meta);
        }
        if (relayToken != null) {
            out.progressToken(relayToken);
        }
        return gateway.callTool(out.build())
                .onErrorResume(e -> Mono.just(McpSchema.CallToolResult.builder().isError(true)
                        .addTextContent("codetether: the gateway did not answer " + call.name() + ": "
                                + GatewayMcpException.of(endpoint, e).getMessage())
                        .build()))
                .doFinally(signal -> {
                    if (relayToken != null) {
                        routes.remove(relayToken);
                    }
                });
    }

    private Mono<Void> relay(McpSchema.ProgressNotification p) {
        Route route = p.progressToken() == null ? null : routes.get(String.valueOf(p.progressToken()));
        if (route == null) {
            return Mono.empty(); // a call already answered, or not one of ours
        }
        return route.exchange().progressNotification(new McpSchema.ProgressNotification(route.clientToken(),
                p.progress(), p.total(), p.message(), p.meta())).onErrorResume(e -> Mono.empty());
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // best effort: the connection failed already
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.closeGracefully().block(Duration.ofSeconds(5));
        }
        if (gateway != null) {
            gateway.closeGracefully().block(Duration.ofSeconds(5));
        }
    }
}
