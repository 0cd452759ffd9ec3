package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/** The A2A 1.0 operations as 1.0 JSON over the typed handler: JSON-RPC 1.0, HTTP+JSON and gRPC share them. */
public final class V10Operations implements JsonOperations {
    private final A2ARequestHandler handler;

    public V10Operations(A2ARequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public String version() {
        return CallContext.V10;
    }

    @Override
    public Map<String, Operation> methods() {
        return Operation.V10;
    }

    @Override
    public CompletableFuture<JsonNode> unary(Operation op, ObjectNode params, CallContext context) {
        try {
            return switch (op) {
                case SEND -> handler.sendMessage(V10Decoder.send(params), context).thenApply(V10Encoder::sendResult);
                case GET -> handler.getTask(V10Decoder.taskQuery(params), context).thenApply(V10Encoder::task);
                case LIST -> handler.listTasks(V10Decoder.listQuery(params), context).thenApply(V10Encoder::taskPage);
                case CANCEL -> handler.cancelTask(V10Decoder.taskRef(params), context).thenApply(V10Encoder::task);
                case PUSH_CREATE -> handler.createTaskPushNotificationConfig(V10Decoder.newPushConfig(params), context)
                        .thenApply(V10Encoder::pushConfig);
                case PUSH_GET -> handler.getTaskPushNotificationConfig(V10Decoder.pushConfigRef(params), context)
                        .thenApply(V10Encoder::pushConfig);
                case PUSH_LIST -> handler.listTaskPushNotificationConfigs(V10Decoder.pushConfigTask(params), context)
                        .thenApply(V10Encoder::pushConfigs);
                case PUSH_DELETE -> handler.deleteTaskPushNotificationConfig(V10Decoder.pushConfigRef(params),
                        context).thenApply(v -> V10Encoder.empty());
                case EXTENDED_CARD -> handler.getExtendedAgentCard(context).thenApply(V10Encoder::card);
                case STREAM, SUBSCRIBE -> throw new IllegalArgumentException(op + " is a streaming operation");
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> stream(Operation op, ObjectNode params, CallContext context, StreamSink sink) {
        try {
            return switch (op) {
                case STREAM -> handler.sendStreamingMessage(V10Decoder.send(params), context, sink);
                case SUBSCRIBE -> handler.subscribeToTask(V10Decoder.taskRef(params), context, sink);
                default -> throw new IllegalArgumentException(op + " is not a streaming operation");
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public JsonNode streamItem(StreamEvent event) {
        return V10Encoder.streamItem(event);
    }
}
