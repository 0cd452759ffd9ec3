package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;

/**
 * Where a stream's items go: an SSE response, a gRPC server stream. The binding encodes each item into its wire
 * form. Implementations are thread-safe.
 */
public interface StreamSink {

    /** Sends one item; may throw when the item cannot be encoded (the relay then ends the stream). */
    void send(StreamEvent event);

    /** Ends the stream normally (after the final item). */
    void end();

    /**
     * Ends the stream early with an error the client can act on ({@link A2AException#streamEnded}: retryable,
     * resubscribe): a JSON-RPC error object in the last SSE event, an error object in the last HTTP+JSON SSE
     * event, gRPC status UNAVAILABLE. The default just ends the stream (sinks with no error form).
     */
    default void abort(A2AException reason) {
        end();
    }

    /** Runs {@code action} once when the client goes away or the stream ends; it must not cancel the task. */
    void onClose(Runnable action);
}
