package run.codetether.gateway.support.binding;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An open stream on any binding: items in the A2A 1.0 StreamResponse JSON form ({@code task}, {@code statusUpdate},
 * {@code artifactUpdate}), or the failure of a refused call.
 */
public interface LiveStream extends AutoCloseable {

    /** The refusal (before any item), or null when the stream opened. */
    Failure failure();

    /** The next item, or null once the server ended the stream (normally, or with {@link #endedWith}). */
    JsonNode next();

    /**
     * The error the server ended an open stream with (a JSON-RPC error event, an HTTP+JSON error object event, a
     * gRPC status), once {@link #next} returned null; null when the stream ended normally.
     */
    Failure endedWith();

    /** Every item until the end. */
    default List<JsonNode> rest() {
        List<JsonNode> out = new ArrayList<>();
        JsonNode n;
        while ((n = next()) != null) {
            out.add(n);
        }
        return out;
    }

    /** The client goes away (the task must go on). */
    @Override
    void close();

    /** The kind of a 1.0 StreamResponse item: task, statusUpdate or artifactUpdate. */
    static String kind(JsonNode item) {
        return item.fieldNames().next();
    }
}
