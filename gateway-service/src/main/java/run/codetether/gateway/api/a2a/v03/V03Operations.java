package run.codetether.gateway.api.a2a.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import run.codetether.gateway.api.a2a.JsonOperations;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.PushConfigRef;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;
import run.codetether.gateway.domain.handler.TaskRef;

/**
 * The A2A 0.3 converter: 0.3 params become the handler's 1.0 parameters, 1.0 results become 0.3 shapes; the core
 * never sees a version. What 0.3 does differently is settled here: results are unwrapped, a delete answers null, a
 * push-config get may leave out the config id (the task's first config), and configs created over 0.3 get 0.3
 * push payloads (the context says so).
 */
public final class V03Operations implements JsonOperations {
    public static final String VERSION = "0.3";

    /** The 0.3 JSON-RPC method names; they do not overlap with 1.0's, so a name alone can pick the version. */
    public static final Map<String, Operation> METHODS = Map.ofEntries(
            Map.entry("message/send", Operation.SEND),
            Map.entry("message/stream", Operation.STREAM),
            Map.entry("tasks/get", Operation.GET),
            Map.entry("tasks/cancel", Operation.CANCEL),
            Map.entry("tasks/resubscribe", Operation.SUBSCRIBE),
            Map.entry("tasks/pushNotificationConfig/set", Operation.PUSH_CREATE),
            Map.entry("tasks/pushNotificationConfig/get", Operation.PUSH_GET),
            Map.entry("tasks/pushNotificationConfig/list", Operation.PUSH_LIST),
            Map.entry("tasks/pushNotificationConfig/delete", Operation.PUSH_DELETE),
            Map.entry("agent/getAuthenticatedExtendedCard", Operation.EXTENDED_CARD));
    private final A2ARequestHandler handler;

    public V03Operations(A2ARequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Map<String, Operation> methods() {
        return METHODS;
    }

    @Override
    public CompletableFuture<JsonNode> unary(Operation op, ObjectNode params, CallContext context) {
        CallContext c = context.withProtocolVersion(VERSION);
        try {
            return switch (op) {
                case SEND -> handler.sendMessage(V03Decoder.send(params), c).thenApply(V03Encoder::task);
                case GET -> handler.getTask(V03Decoder.taskQuery(params), c).thenApply(V03Encoder::task);
                case CANCEL -> handler.cancelTask(V03Decoder.taskRef(params), c).thenApply(V03Encoder::task);
                case PUSH_CREATE -> handler.createTaskPushNotificationConfig(V03Decoder.newPushConfig(params), c)
                        .thenApply(V03Encoder::pushConfig);
                case PUSH_GET -> pushGet(params, c);
                case PUSH_LIST -> handler.listTaskPushNotificationConfigs(V03Decoder.taskRef(params), c)
                        .thenApply(V03Encoder::pushConfigs);
                case PUSH_DELETE -> {
                    String id = V03Decoder.pushConfigId(params);
                    if (id == null) {
                        throw A2AException.invalidParams("params.pushNotificationConfigId is required");
                    }
                    yield handler.deleteTaskPushNotificationConfig(
                            new PushConfigRef(V03Decoder.pushConfigTask(params), id, null), c)
                            .thenApply(v -> JsonNodeFactory.instance.nullNode());
                }
                case EXTENDED_CARD -> handler.getExtendedAgentCard(c).thenApply(V03Encoder::card);
                case LIST -> throw new A2AException(A2AError.METHOD_NOT_FOUND,
                        "A2A 0.3 has no tasks/list; use ListTasks with 1.0");
                case STREAM, SUBSCRIBE -> throw new IllegalArgumentException(op + " is a streaming operation");
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** 0.3 lets a client leave out the config id: it then gets the task's first config. */
    private CompletableFuture<JsonNode> pushGet(ObjectNode params, CallContext c) {
        String taskId = V03Decoder.pushConfigTask(params);
        String id = V03Decoder.pushConfigId(params);
        if (id != null) {
            return handler.getTaskPushNotificationConfig(new PushConfigRef(taskId, id, null), c)
                    .thenApply(V03Encoder::pushConfig);
        }
        return handler.listTaskPushNotificationConfigs(new TaskRef(taskId, null), c).thenApply(all -> {
            if (all.isEmpty()) {
                throw new A2AException(A2AError.TASK_NOT_FOUND, "No push notification config for task " + taskId,
                        Map.of("taskId", taskId));
            }
            return V03Encoder.pushConfig(all.get(0));
        });
    }

    @Override
    public CompletableFuture<Void> stream(Operation op, ObjectNode params, CallContext context, StreamSink sink) {
        CallContext c = context.withProtocolVersion(VERSION);
        try {
            return switch (op) {
                case STREAM -> handler.sendStreamingMessage(V03Decoder.send(params), c, sink);
                case SUBSCRIBE -> handler.subscribeToTask(V03Decoder.taskRef(params), c, sink);
                default -> throw new IllegalArgumentException(op + " is not a streaming operation");
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public JsonNode streamItem(StreamEvent event) {
        return V03Encoder.streamItem(event);
    }
}
