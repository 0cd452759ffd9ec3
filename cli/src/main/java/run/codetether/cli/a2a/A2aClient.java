package run.codetether.cli.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import run.codetether.platform.json.Json;

/**
 * The CLI's only way to the platform: A2A 1.0 JSON-RPC over HTTP (SSE for the streaming methods) and the gateway's
 * REST extension endpoints ({@code /v1/models}, {@code /v1/stats}, ...). Thread-safe; one instance per gateway.
 */
public final class A2aClient {
    public static final String A2A_VERSION = "1.0";

    /**
     * Built on another thread from the moment this client exists (unless the first call is a stream over a plain
     * socket): HttpClient's set-up is a large piece of a command's start-up, and it overlaps with building the
     * request. Its TLS context waits for a TLS connection. The same thread then sets up the platform's
     * {@code ObjectMapper}, which only the answers need: the request is written without it ({@link JsonWire}), so
     * the mapper's set-up overlaps with the request's round trip.
     */
    private final java.util.concurrent.CompletableFuture<HttpClient> httpClient = new java.util.concurrent.CompletableFuture<>();
    private final URI endpoint;
    private final String apiKey;
    private final java.util.concurrent.atomic.AtomicBoolean httpClientStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public A2aClient(URI baseUrl, String apiKey) {
        this(baseUrl, apiKey, true);
    }

    /**
     * {@code prepareHttpClient} false: the first call will be a {@link #stream} to an {@code http://} gateway, which
     * goes over a plain socket ({@link PlainHttp}); the JDK's client is then built only if a later call needs it,
     * instead of competing for the CPU with the way to the first request.
     */
    public A2aClient(URI baseUrl, String apiKey, boolean prepareHttpClient) {
        this.endpoint = baseUrl;
        this.apiKey = apiKey;
        // The gateway's address is resolved (and InetAddress, with java.security.Security, set up) on a third thread
        // while the request is built and the HTTP client set up: on the main thread at the first connection it was
        // the largest piece left before the request ("localhost", the default gateway, took 45-95 ms in a bare JVM
        // at load 15). The JDK caches the answer, so the connection finds it; a host that does not resolve fails
        // there, as before, with the usual message.
        String host = baseUrl.getHost();
        if (host != null) {
            Thread.ofPlatform().daemon().name("gateway-address").start(() -> {
                try {
                    java.net.InetAddress.getAllByName(host);
                } catch (java.net.UnknownHostException | RuntimeException e) {
                    // the connection reports it
                }
            });
        }
        Thread.ofPlatform().daemon().name("http-client-init").start(() -> {
            if (prepareHttpClient) {
                buildHttpClient();
            }
            Json.mapper();
            run.codetether.cli.StartupTrace.mark("object mapper built");
        });
    }

    /** Builds the JDK's client once, on whichever thread asks first. */
    private void buildHttpClient() {
        if (!httpClientStarted.compareAndSet(false, true)) {
            return;
        }
        run.codetether.cli.StartupTrace.mark("http client set-up starts");
        try {
            httpClient.complete(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(LazyTls.context()).sslParameters(LazyTls.parameters())
                    .connectTimeout(CONNECT_TIMEOUT).build());
        } catch (RuntimeException | Error e) {
            httpClient.completeExceptionally(e);
        }
        run.codetether.cli.StartupTrace.mark("http client built");
    }

    private HttpClient http() throws IOException {
        buildHttpClient();
        try {
            return httpClient.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IOException("could not set up the HTTP client: " + e.getCause(), e.getCause());
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public ObjectMapper json() {
        return Json.mapper();
    }

    /** Calls a method and answers its result; a JSON-RPC error becomes an {@link A2aException}. */
    public JsonNode call(String method, JsonNode params) throws IOException, InterruptedException {
        HttpResponse<String> response = http().send(request(method, params, "application/json"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return resultOf(parse(response.statusCode(), response.body()));
    }

    /**
     * Calls a streaming method and hands each event's result to {@code onEvent} until the stream ends or the
     * handler answers false. Interrupting the calling thread closes the stream.
     */
    public void stream(String method, JsonNode params, Predicate<JsonNode> onEvent) throws IOException, InterruptedException {
        if ("http".equalsIgnoreCase(endpoint.getScheme())) {
            byte[] body = body(method, params);
            String launcherSent = LauncherRequest.take();
            PlainHttp.Response response;
            if (launcherSent != null) {
                run.codetether.cli.StartupTrace.mark("request built (the launcher sent it)");
                response = LauncherRequest.answer(launcherSent, endpoint, headers("text/event-stream"), body);
            } else {
                run.codetether.cli.StartupTrace.mark("request written");
                response = PlainHttp.post(endpoint, headers("text/event-stream"), body, (int) CONNECT_TIMEOUT.toMillis());
            }
            if (launcherSent == null) {
                try (InputStream in = response.body()) {
                    events(response.status(), response.header("content-type"), in, onEvent);
                }
                return;
            }
            // the launcher's watcher learns the task's id, and that this JVM ended the stream itself: a JVM killed
            // mid-stream leaves it a task to cancel
            try (InputStream in = response.body()) {
                events(response.status(), response.header("content-type"), in, LauncherRequest.watched(onEvent));
            } finally {
                LauncherRequest.released();
            }
            return;
        }
        HttpRequest request = request(method, params, "text/event-stream");
        run.codetether.cli.StartupTrace.mark("request written");
        HttpResponse<InputStream> response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            events(response.statusCode(), response.headers().firstValue("content-type").orElse(""), in, onEvent);
        }
    }

    /** An answer to a streaming call: its events, or the JSON-RPC error or HTTP failure it is instead. */
    private static void events(int status, String type, InputStream body, Predicate<JsonNode> onEvent)
            throws IOException {
        if (!type.startsWith("text/event-stream")) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            resultOf(parse(status, text));
            throw new IOException("the gateway did not answer with an event stream (HTTP " + status + ")");
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).stripLeading());
            } else if (line.isEmpty() && !data.isEmpty()) {
                JsonNode result = resultOf(Json.mapper().readTree(data.toString()));
                data.setLength(0);
                if (!onEvent.test(result)) {
                    return;
                }
            }
        }
    }

    /**
     * GET of a gateway path relative to the A2A endpoint. A 404 means this gateway does not serve the endpoint
     * ({@link NotServedException}); any other non-2xx answer is a {@link GatewayException} with the gateway's
     * {@code {"error": {"code", "message"}}} when it sent one.
     */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET();
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response = http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 404) {
            throw new NotServedException(path);
        }
        if (status / 100 != 2) {
            String message = abbreviate(response.body());
            String code = "HTTP_" + status;
            try {
                JsonNode error = Json.mapper().readTree(response.body()).path("error");
                if (error.isObject()) {
                    code = error.path("code").asText(code);
                    message = error.path("message").asText(message);
                }
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new GatewayException(status, code, "GET " + path + " answered HTTP " + status + " (" + code + "): " + message);
        }
        return parse(status, response.body());
    }

    private HttpRequest request(String method, JsonNode params, String accept) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(method, params)));
        for (String[] h : headers(accept)) {
            builder.header(h[0], h[1]);
        }
        return builder.build();
    }

    /** The JSON-RPC request, written without the ObjectMapper ({@link JsonWire}). */
    private byte[] body(String method, JsonNode params) throws IOException {
        ObjectNode body = JsonWire.object();
        body.put("jsonrpc", "2.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        body.set("params", params);
        return JsonWire.bytes(body);
    }

    /** The headers of every JSON-RPC call, in the order they are sent. */
    private java.util.List<String[]> headers(String accept) {
        java.util.List<String[]> h = new java.util.ArrayList<>(4);
        h.add(new String[] {"Content-Type", "application/json"});
        h.add(new String[] {"Accept", accept});
        h.add(new String[] {"A2A-Version", A2A_VERSION});
        if (apiKey != null && !apiKey.isBlank()) {
            h.add(new String[] {"Authorization", "Bearer " + apiKey});
        }
        return h;
    }

    private static JsonNode parse(int status, String text) throws IOException {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new GatewayException(status, "HTTP_" + status,
                    "HTTP " + status + " with a body that is not JSON: " + abbreviate(text));
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

    /** A JSON-RPC error object returned by the gateway. */
    public static final class A2aException extends RuntimeException {
        public final int code;
        public final transient JsonNode data;

        public A2aException(int code, String message, JsonNode data) {
            super(message);
            this.code = code;
            this.data = data;
        }
    }

    /** A non-2xx HTTP answer (other than 404 on a REST path). */
    public static class GatewayException extends IOException {
        public final int status;
        public final String code;

        public GatewayException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** The gateway answered 404 for a REST extension endpoint: this gateway version does not serve it. */
    public static final class NotServedException extends GatewayException {
        public final String path;

        public NotServedException(String path) {
            super(404, "NOT_FOUND", "this gateway does not serve /" + path.replaceFirst("^/", "").replaceFirst("\\?.*", "")
                    + " yet (HTTP 404); it arrives with a newer gateway");
            this.path = path;
        }
    }
}
