package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** A2A 1.0 JSON-RPC client over HTTP, with SSE for the streaming methods. */
final class A2aClient {
    static final String A2A_VERSION = "1.0";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI endpoint;
    private final String apiKey;
    private final AtomicLong ids = new AtomicLong();

    A2aClient(URI baseUrl, String apiKey) {
        this.endpoint = baseUrl;
        this.apiKey = apiKey;
    }

    ObjectMapper json() {
        return json;
    }

    /** Calls a method and answers its result; a JSON-RPC error becomes an {@link A2aException}. */
    JsonNode call(String method, JsonNode params) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, params, "application/json"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body = parse(response.statusCode(), response.body());
        return resultOf(body);
    }

    /**
     * Calls a streaming method and hands each event's result to {@code onEvent} until the stream ends or the
     * handler answers false.
     */
    void stream(String method, JsonNode params, Predicate<JsonNode> onEvent) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = http.send(request(method, params, "text/event-stream"),
                HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("content-type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            resultOf(parse(response.statusCode(), text));
            throw new IOException("the server did not answer with an event stream (HTTP " + response.statusCode() + ")");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    JsonNode result = resultOf(json.readTree(data.toString()));
                    data.setLength(0);
                    if (!onEvent.test(result)) {
                        return;
                    }
                }
            }
        }
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpRequest request(String method, JsonNode params, String accept) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        body.set("params", params);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header("A2A-Version", A2A_VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder.build();
    }

    private JsonNode parse(int status, String text) throws IOException {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IOException("HTTP " + status + " with a body that is not JSON: " + abbreviate(text));
        }
    }

    private static JsonNode resultOf(JsonNode body) {
        JsonNode error = body.get("error");
        if (error != null && !error.isNull()) {
            throw new A2aException(error.path("code").asInt(), error.path("message").asText(), error.get("data"));
        }
        return body.path("result");
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** A JSON-RPC error object returned by the server. */
    static final class A2aException extends RuntimeException {
        final int code;
        final transient JsonNode data;

        A2aException(int code, String message, JsonNode data) {
            super(message);
            this.code = code;
            this.data = data;
        }
    }
}
