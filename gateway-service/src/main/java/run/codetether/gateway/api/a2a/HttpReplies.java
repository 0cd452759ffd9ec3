package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerResponse;

/** Writes JSON replies; never a stack trace, always a JSON body. */
final class HttpReplies {
    private HttpReplies() {}

    static void json(HttpServerResponse response, int status, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        String text;
        try {
            text = WireJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}";
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }
}
