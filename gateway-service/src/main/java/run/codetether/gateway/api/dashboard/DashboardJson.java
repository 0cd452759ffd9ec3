package run.codetether.gateway.api.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.Map;
import run.codetether.platform.json.Json;

/**
 * The dashboard API's JSON: snake_case keys (CodeTether's own REST convention), ISO-8601 instants, nulls left out,
 * and errors as {@code {"error": {"code", "message"}}}.
 */
final class DashboardJson {
    /** The platform's mapper (ISO instants, nulls left out); a copy only because this API's keys are snake_case. */
    static final ObjectMapper MAPPER = Json.mapper().copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private DashboardJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response ok(Object body) {
        return Response.ok(write(body), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(write(Map.of("error", Map.of("code", code, "message", message)))).build();
    }

    static WebApplicationException failure(int status, String code, String message) {
        return new WebApplicationException(message, error(status, code, message));
    }
}
