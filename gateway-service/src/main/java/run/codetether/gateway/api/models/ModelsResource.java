package run.codetether.gateway.api.models;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * {@code GET /v1/models} and {@code GET /v1/providers}: the shared model catalog (the deployment's
 * {@code codetether.models.catalog} file or URL, else the built-in one: the same figures the agent charges by) and
 * the providers a task may name, behind the same authentication and rate limit as A2A. The gateway holds no
 * provider keys, so {@code configured} says whether this deployment set the provider's base URL or model
 * ({@code codetether.providers.<name>.*}), or the provider needs no setting (a public endpoint and default model).
 */
@Path("/v1")
public class ModelsResource {
    private final RequestGuard guard;
    private final ModelCatalog catalog;
    private final Config config;

    public ModelsResource(RequestGuard guard, Config config,
            @ConfigProperty(name = "codetether.models.catalog") Optional<String> catalogLocation) {
        this.guard = guard;
        this.config = config;
        this.catalog = ModelCatalog.load(catalogLocation);
    }

    @GET
    @Path("/models")
    public Response models(@Context HttpServerRequest request) {
        Response refused = admit(request);
        if (refused != null) {
            return refused;
        }
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelCatalog.Model m : catalog.models()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("provider", m.provider());
            row.put("id", m.id());
            row.put("context_window", m.contextWindow());
            row.put("max_output", m.maxOutput());
            row.put("tool_calls", m.toolCalls());
            row.put("price", m.price() == null ? null : price(m.price()));
            row.put("default", m.isDefault());
            models.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_version", catalog.version());
        body.put("models", models);
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/providers")
    public Response providers(@Context HttpServerRequest request) {
        Response refused = admit(request);
        if (refused != null) {
            return refused;
        }
        List<Map<String, Object>> providers = new ArrayList<>();
        for (ModelCatalog.Provider p : catalog.providers()) {
            Optional<String> url = setting(p.name(), "base-url");
            Optional<String> model = setting(p.name(), "model");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("default_model", model.orElse(p.defaultModel()));
            row.put("base_url", url.orElse(p.baseUrl()));
            row.put("configured", url.isPresent() || model.isPresent()
                    || (p.baseUrl() != null && p.defaultModel() != null));
            providers.add(row);
        }
        return Response.ok(Map.of("providers", providers), MediaType.APPLICATION_JSON).build();
    }

    private Optional<String> setting(String provider, String key) {
        return config.getOptionalValue("codetether.providers." + provider + "." + key, String.class)
                .filter(s -> !s.isBlank());
    }

    private static Map<String, Object> price(ModelCatalog.Price p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", p.input());
        m.put("output", p.output());
        m.put("cache_read", p.cacheRead());
        m.put("cache_write", p.cacheWrite());
        return m;
    }

    /** Null when admitted; else the A2A error table's status with {@code {"error": {"code", "message"}}}. */
    private Response admit(HttpServerRequest request) {
        try {
            guard.admit(request.getHeader("Authorization"), request.getHeader("X-API-Key"),
                    request.remoteAddress() == null ? "unknown" : request.remoteAddress().host());
            return null;
        } catch (A2AException e) {
            var r = Response.status(e.error().httpStatus()).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", Map.of("code", e.error().reason(), "message", e.getMessage())));
            if (e.retryAfterSeconds() >= 0) {
                r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            return r.build();
        }
    }
}
