package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A protocol-faithful stand-in for the gateway on loopback: JSON-RPC answers and SSE streams as the gateway writes
 * them, and the REST extension endpoints with the shapes of INTERFACES.md. Records every request.
 */
public final class LoopbackGateway implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public final List<JsonNode> rpc = new CopyOnWriteArrayList<>();
    public final List<String> paths = new CopyOnWriteArrayList<>();
    public final List<String> auth = new CopyOnWriteArrayList<>();
    private final Map<String, String> rest = new ConcurrentHashMap<>();
    private final HttpServer server;
    public volatile List<String> sse = List.of();
    public volatile String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";

    public LoopbackGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code body} (JSON) at GET {@code path}; unknown paths answer 404. */
    public LoopbackGateway rest(String path, String body) {
        rest.put(path, body);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** One SSE frame holding a JSON-RPC result. */
    public static String frame(String result) {
        return "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}\n\n";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        paths.add(path + (query == null ? "" : "?" + query));
        auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (exchange.getRequestMethod().equals("GET")) {
            String body = rest.get(path);
            byte[] bytes = (body == null ? "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route\"}}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        rpc.add(JSON.readTree(exchange.getRequestBody()));
        boolean stream = "text/event-stream".equals(exchange.getRequestHeaders().getFirst("Accept"));
        exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
        if (!stream) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String frame : sse) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
