package run.codetether.gateway.support.binding;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One A2A binding as the conformance suite drives it: requests are written as A2A 1.0 params (the ProtoJSON of
 * a2a.proto's request messages), results come back in the 1.0 JSON form, whatever goes over the wire. Each
 * implementation is the per-binding encode/decode adapter: it turns the params into its wire request, its wire
 * answer into 1.0 JSON, and checks on the way what only its wire can show (the error table's code for the
 * reason, 0.3's {@code final} flag, SSE framing).
 */
public interface Binding {

    /** What some bindings cannot express. */
    enum Feature {
        /** ListTasks (0.3 has no tasks/list). */
        LIST_TASKS,
        /** A2A 1.0 tenants (0.3 has none). */
        TENANTS,
        /** Served over HTTP/1.1 (JSON-RPC, HTTP+JSON), where a request can lack a Host header. */
        HTTP1
    }

    String name();

    boolean supports(Feature feature);

    /** The same binding for the client with this API key (null: no credentials). */
    Binding as(String apiKey);

    Result call(Op op, ObjectNode params);

    /** Opens a stream (SendStreamingMessage, SubscribeToTask). */
    LiveStream stream(Op op, ObjectNode params);

    /** Sends a request whose wire body is {@code bodyBytes} bytes of padding in a text part (the body limit). */
    Result sendOversized(int bodyBytes);

    /**
     * A CancelTask whose wire body is about {@code bodyBytes} bytes (padding in its metadata): not a send, so it is
     * held to {@code max-body-bytes} even where a send may be larger.
     */
    Result cancelOversized(int bodyBytes);

    /**
     * A GetTask (of a task that does not exist) whose wire request is about {@code bodyBytes} bytes: JSON-RPC pads
     * its params after the method (the order clients write), gRPC an unknown field of GetTaskRequest. HTTP+JSON's
     * GetTask is a GET, whose body no route reads, so its oversized read request is the one with a body, a push
     * config create. Held to {@code max-request-bytes}.
     */
    Result getOversized(int bodyBytes);

    /** An HTTP/1.1 request of this binding without a Host header ({@link Feature#HTTP1} bindings). */
    default Result withoutHost() {
        throw new UnsupportedOperationException(name() + " is not served over HTTP/1.1");
    }
}
