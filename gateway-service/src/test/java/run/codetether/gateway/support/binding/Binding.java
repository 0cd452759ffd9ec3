package run.codetether.gateway.support.binding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import run.codetether.gateway.api.a2a.Operation;

/**
 * One A2A binding as the conformance suite drives it: requests are written as A2A 1.0 params (the ProtoJSON of
 * a2a.proto's request messages), results come back in the 1.0 JSON form, whatever goes over the wire. Each
 * implementation is the per-binding encode/decode adapter: it turns the params into its wire request, its wire
 * answer into 1.0 JSON, and checks on the way what only its wire can show (the error table's code for the
 * reason, 0.3's {@code final} flag, SSE framing). The operations are the gateway's own {@link Operation}s (a new
 * one fails to compile here until every binding can send it); each binding builds an operation's wire request in
 * one place, whatever the params carry (padding for the size limits included).
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

    /** A unary operation (every one but {@link Operation#streaming()}). */
    Result call(Operation op, ObjectNode params);

    /** Opens a stream (SendStreamingMessage, SubscribeToTask). */
    LiveStream stream(Operation op, ObjectNode params);

    /**
     * A GetTask (of a task that does not exist) whose wire request is about {@code bodyBytes} bytes: JSON-RPC pads
     * its params with an unknown member after the method (the order clients write), gRPC with an unknown field of
     * GetTaskRequest. HTTP+JSON's GetTask is a GET, whose body no route reads, so its oversized read request is the
     * one with a body, a push config create. Held to {@code max-request-bytes}. Unknown members are what 1.0 params
     * cannot carry through every binding (ProtoJSON refuses them), so this request's padding is per binding; the
     * request itself is still built by the binding's one builder.
     */
    Result getOversized(int bodyBytes);

    /** An HTTP/1.1 request of this binding without a Host header ({@link Feature#HTTP1} bindings). */
    default Result withoutHost() {
        throw new UnsupportedOperationException(name() + " is not served over HTTP/1.1");
    }
}
