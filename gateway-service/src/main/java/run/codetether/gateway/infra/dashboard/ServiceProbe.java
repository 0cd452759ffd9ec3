package run.codetether.gateway.infra.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import run.codetether.gateway.domain.dashboard.PromSamples;
import run.codetether.platform.json.Json;

/**
 * Asks one service over HTTP for its readiness ({@code /q/health/ready}) and its Prometheus metrics
 * ({@code /q/metrics}). The URLs come from the operator's configuration, never from a request.
 */
public final class ServiceProbe {
    private static final ObjectMapper JSON = Json.mapper();

    /** @param status UP, DOWN, or UNREACHABLE (no answer, with {@code error} saying why) */
    public record Health(String status, List<Check> checks, String error, long millis) {}

    public record Check(String name, String status) {}

    private final Duration timeout;
    private HttpClient http; // guarded by this

    public ServiceProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The client, made at the first probe (a dashboard opened): making it loads and initialises the JDK's default TLS
     * context, a tenth of a second of CPU that the gateway's boot paid on its main thread for a dashboard most starts
     * never see (issue 19).
     */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    public CompletableFuture<Health> health(URI base) {
        long start = System.nanoTime();
        return http().sendAsync(get(base, "/q/health/ready"), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> parseHealth(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000))
                .exceptionally(e -> new Health("UNREACHABLE", List.of(), reason(e),
                        (System.nanoTime() - start) / 1_000_000));
    }

    /** @return the parsed metrics, or null when the service answers none (the reason is in its health) */
    public CompletableFuture<PromSamples> metrics(URI base) {
        return http().sendAsync(get(base, "/q/metrics"), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 ? PromSamples.parse(r.body()) : null)
                .exceptionally(e -> null);
    }

    static Health parseHealth(int code, String body, long millis) {
        List<Check> checks = new ArrayList<>();
        String status = code == 200 ? "UP" : "DOWN";
        try {
            JsonNode root = JSON.readTree(body);
            status = root.path("status").asText(status);
            for (JsonNode c : root.path("checks")) {
                checks.add(new Check(c.path("name").asText("?"), c.path("status").asText("?")));
            }
        } catch (Exception e) {
            return new Health(status, checks, "HTTP " + code + ", body is not health JSON", millis);
        }
        return new Health(status, checks, code == 200 || code == 503 ? null : "HTTP " + code, millis);
    }

    private HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
    }

    private static String reason(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
