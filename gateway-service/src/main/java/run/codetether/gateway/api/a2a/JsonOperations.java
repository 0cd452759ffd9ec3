package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * One A2A protocol version's operations with JSON in and out, over the typed request handler: decode the params,
 * call the handler, encode the result. Nothing else happens here. {@link V10Operations} serves JSON-RPC 1.0,
 * HTTP+JSON and (through ProtoJSON) gRPC; {@code v03.V03Operations} is the 0.3 converter.
 */
public interface JsonOperations {

    /** Major.Minor. */
    String version();

    /** The JSON-RPC method names of this version. */
    Map<String, Operation> methods();

    /** A unary operation; a refusal (bad params included) completes the future exceptionally. */
    CompletableFuture<JsonNode> unary(Operation op, ObjectNode params, CallContext context);

    /**
     * A streaming operation: {@code sink} gets typed items (encode them with {@link #streamItem}); the future
     * completes once the stream started, or exceptionally before the sink got anything.
     */
    CompletableFuture<Void> stream(Operation op, ObjectNode params, CallContext context, StreamSink sink);

    /** One stream item in this version's shape. */
    JsonNode streamItem(StreamEvent event);
}
