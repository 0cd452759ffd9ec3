package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/** Writes JSON replies; never a stack trace, always a JSON body. */
final class HttpReplies {
    private static final byte[] INTERNAL =
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}"
                    .getBytes(StandardCharsets.UTF_8);

    private HttpReplies() {}

    static void json(HttpServerResponse response, int status, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        // UTF-8 bytes straight from the tree (a String in between is one more encode and copy of every reply)
        byte[] bytes;
        try {
            bytes = WireJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = INTERNAL;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(bytes));
    }
}
