package run.codetether.gateway.domain.handler;

/**
 * Where a stream's items go: an SSE response, a gRPC server stream. The binding encodes each item into its wire
 * form. Implementations are thread-safe.
 */
public interface StreamSink {

    /** Sends one item; may throw when the item cannot be encoded (the relay then ends the stream). */
    void send(StreamEvent event);

    /** Ends the stream normally (after the final item). */
    void end();

    /** Runs {@code action} once when the client goes away or the stream ends; it must not cancel the task. */
    void onClose(Runnable action);
}
