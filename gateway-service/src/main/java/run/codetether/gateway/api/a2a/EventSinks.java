package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Function;

/** Factory for the SSE sink, for bindings outside this package. */
public final class EventSinks {
    private EventSinks() {}

    public static EventSink sse(HttpServerResponse response, Vertx vertx, Function<JsonNode, JsonNode> envelope,
            long keepAliveMs) {
        return new SseSink(response, vertx, envelope, keepAliveMs);
    }
}
