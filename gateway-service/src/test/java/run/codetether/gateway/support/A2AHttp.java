package run.codetether.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.gateway.api.a2a.WireJson;

/** A small raw HTTP client for the tests: JSON-RPC calls and SSE streams read event by event. */
public final class A2AHttp {
    public static final String ALICE = "test-key-alice-123";
    public static final String BOB = "test-key-bob-4567";
    /** The gateway's one wire mapper (strict: a duplicate key or a 65-deep answer would fail the test). */
    public static final ObjectMapper JSON = WireJson.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;

    public A2AHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    public record Reply(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public Reply post(String body, String key, String version) {
        return post(endpoint, body, key, version);
    }

    public static Reply post(URI uri, String body, String key, String version) {
        return send("POST", uri, body, key, version);
    }

    /** Any HTTP call with an optional JSON body. */
    public static Reply send(String method, URI uri, String body, String key, String version) {
        try {
            HttpResponse<String> r = HTTP.send(request(method, uri, body, key, version, Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** A 1.0 JSON-RPC call as alice; returns the whole response object. */
    public JsonNode call(String method, String params) {
        return post(rpc(1, method, params), ALICE, "1.0").json();
    }

    public static String rpc(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id instanceof String s ? "\"" + s + "\"" : id) + ",\"method\":\""
                + method + "\",\"params\":" + params + "}";
    }

    public static String userMessage(String text, String extra) {
        return "{\"messageId\":\"" + java.util.UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\""
                + text + "\"}]" + (extra == null ? "" : "," + extra) + "}";
    }

    /** Opens an SSE call and reads every data event until the server closes the stream. */
    public Stream stream(String body, String key, String version) {
        return open("POST", endpoint, body, key, version);
    }

    /** Any HTTP call whose answer is read as a stream (SSE, or a JSON error: see {@link Stream#body()}). */
    public static Stream open(String method, URI uri, String body, String key, String version) {
        try {
            HttpResponse<java.io.InputStream> r = HTTP.send(request(method, uri, body, key, version,
                    Duration.ofSeconds(60)).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(r);
        } catch (Exception e) {
            throw new AssertionError("stream failed: " + e, e);
        }
    }

    /** A JSON request with the optional credential ({@code key}) and A2A-Version header. */
    private static HttpRequest.Builder request(String method, URI uri, String body, String key, String version,
            Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (version != null) {
            b.header("A2A-Version", version);
        }
        return b;
    }

    public static final class Stream implements AutoCloseable {
        public final HttpResponse<java.io.InputStream> response;
        private final BufferedReader reader;
        public final List<String> comments = new ArrayList<>();

        Stream(HttpResponse<java.io.InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        public String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        public int status() {
            return response.statusCode();
        }

        /** The rest of the answer as text (an error body instead of events). */
        public String body() {
            try {
                StringBuilder out = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    out.append(line).append('\n');
                }
                return out.toString();
            } catch (Exception e) {
                throw new AssertionError("cannot read the answer: " + e, e);
            }
        }

        /** The next data event, or null at the end of the stream. */
        public JsonNode next() {
            try {
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            return JSON.readTree(data.toString());
                        }
                        continue;
                    }
                    if (line.startsWith(":")) {
                        comments.add(line);
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
                return data.isEmpty() ? null : JSON.readTree(data.toString());
            } catch (Exception e) {
                throw new AssertionError("bad SSE stream: " + e, e);
            }
        }

        /** Reads until a comment line (an SSE keep-alive) arrives; false at the end of the stream. */
        public boolean awaitComment() {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith(":")) {
                        comments.add(line);
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError("bad SSE stream: " + e, e);
            }
        }

        public List<JsonNode> rest() {
            List<JsonNode> out = new ArrayList<>();
            JsonNode n;
            while ((n = next()) != null) {
                out.add(n);
            }
            return out;
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (Exception ignored) {
                // closing a test stream
            }
        }
    }
}
