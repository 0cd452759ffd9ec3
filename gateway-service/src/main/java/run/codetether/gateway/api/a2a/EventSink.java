package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a stream's items go (an SSE response, a gRPC stream). Implementations are thread-safe. */
public interface EventSink {

    /** Sends one stream item (a StreamResponse in the sink's binding). */
    void send(JsonNode item);

    /** Ends the stream normally (after the final item). */
    void end();

    /** Called once when the client goes away or the stream ends; must not cancel the task. */
    void onClose(Runnable action);
}
