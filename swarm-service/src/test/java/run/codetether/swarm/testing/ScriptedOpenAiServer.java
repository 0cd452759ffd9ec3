package run.codetether.swarm.testing;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import run.codetether.platform.json.Json;

/**
 * A loopback OpenAI-compatible chat-completions server for tests: answers {@code POST /v1/chat/completions} with
 * the text a script function returns for the request body (or an HTTP error when the script throws
 * {@link Fail}), in the exact response shape of the OpenAI API, and records every request for assertions.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();
    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, String> script;

    public ScriptedOpenAiServer(Function<JsonNode, String> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        // concurrent calls are answered concurrently (a script may hold one call while others go through)
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The base URL a LangChain4j OpenAI client takes (ends in /v1). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<JsonNode> requests() {
        return requests;
    }

    public void script(Function<JsonNode, String> newScript) {
        this.script = newScript;
    }

    /** The user message text of a recorded request. */
    public static String userText(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                return m.path("content").asText();
            }
        }
        return "";
    }

    public static String systemText(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            if ("system".equals(m.path("role").asText())) {
                return m.path("content").asText();
            }
        }
        return "";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(body);
            int status = 200;
            Object answer;
            try {
                String text = script.apply(body);
                answer = Map.of(
                        "id", "chatcmpl-" + requests.size(),
                        "object", "chat.completion",
                        "created", System.currentTimeMillis() / 1000,
                        "model", body.path("model").asText("scripted"),
                        "choices", List.of(Map.of(
                                "index", 0,
                                "message", Map.of("role", "assistant", "content", text),
                                "finish_reason", "stop")),
                        "usage", Map.of("prompt_tokens", 10, "completion_tokens", 5, "total_tokens", 15));
            } catch (Fail f) {
                status = f.status;
                answer = Map.of("error", Map.of("message", f.getMessage(), "type", "server_error"));
            }
            byte[] out = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Thrown by a script to answer with an HTTP error. */
    public static final class Fail extends RuntimeException {
        final int status;

        public Fail(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
