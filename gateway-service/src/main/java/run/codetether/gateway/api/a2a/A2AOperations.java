package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.PushConfigs;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskEngine;

/**
 * The A2A operations over the task engine, shaped by a version's codec. Shared by the JSON-RPC and REST bindings;
 * a request that fails validation throws {@link A2AException} before anything is published.
 */
public final class A2AOperations {
    private final TaskEngine engine;
    private final PushConfigs push;
    private final AgentCards cards;
    private final Duration blockingTimeout;

    public A2AOperations(TaskEngine engine, PushConfigs push, AgentCards cards, Duration blockingTimeout) {
        this.engine = engine;
        this.push = push;
        this.cards = cards;
        this.blockingTimeout = blockingTimeout;
    }

    public TaskEngine engine() {
        return engine;
    }

    public CompletableFuture<JsonNode> unary(Operation op, WireCodec codec, ObjectNode params, Caller caller) {
        return switch (op) {
            case SEND -> send(codec, params, caller);
            case GET -> {
                Integer historyLength = codec.historyLength(params);
                yield CompletableFuture.completedFuture(codec.task(
                        engine.get(codec.taskId(params), caller, codec.tenant(params)), historyLength));
            }
            case LIST -> {
                if (!codec.version().equals("1.0")) {
                    throw new A2AException(A2AError.METHOD_NOT_FOUND, "ListTasks is an A2A 1.0 method");
                }
                yield CompletableFuture.completedFuture(codec.taskPage(engine.list(codec.listQuery(params), caller)));
            }
            case CANCEL -> engine.cancel(codec.taskId(params), caller, codec.tenant(params), "client request")
                    .thenApply(t -> codec.task(t, null));
            case PUSH_CREATE -> push.create(codec.pushConfig(params), codec.version(), caller, codec.tenant(params))
                    .thenApply(codec::pushConfig);
            case PUSH_GET -> {
                String[] ref = codec.pushConfigRef(params);
                yield CompletableFuture.completedFuture(
                        codec.pushConfig(push.get(ref[0], ref[1], caller, codec.tenant(params))));
            }
            case PUSH_LIST -> {
                String taskId = codec.pushConfigTask(params);
                yield CompletableFuture.completedFuture(
                        codec.pushConfigs(push.list(taskId, caller, codec.tenant(params))));
            }
            case PUSH_DELETE -> {
                String[] ref = codec.pushConfigRef(params);
                if (ref[1] == null) {
                    throw A2AException.invalidParams("params.pushNotificationConfigId is required");
                }
                yield push.delete(ref[0], ref[1], caller, codec.tenant(params))
                        .thenApply(v -> codec.version().equals("1.0") ? JsonNodeFactory.instance.objectNode()
                                : JsonNodeFactory.instance.nullNode());
            }
            case EXTENDED_CARD -> CompletableFuture.completedFuture(
                    codec.version().equals("1.0") ? cards.v10(true) : cards.v03(true));
            case STREAM, SUBSCRIBE -> throw new IllegalArgumentException(op + " is a streaming operation");
        };
    }

    private CompletableFuture<JsonNode> send(WireCodec codec, ObjectNode params, Caller caller) {
        SendRequest request = codec.sendRequest(params);
        if (request.pushConfig() != null) {
            push.precheck(request.pushConfig());
        }
        CompletableFuture<Task> task;
        if (request.returnImmediately()) {
            task = engine.send(request, caller, null).thenApply(TaskEngine.Accepted::task);
        } else {
            task = engine.sendAndWait(request, caller, blockingTimeout);
        }
        return task.thenCompose(t -> attachPush(request, t, codec))
                .thenApply(t -> codec.sendResult(t, request.historyLength()));
    }

    private CompletableFuture<Task> attachPush(SendRequest request, Task task, WireCodec codec) {
        PushConfig config = request.pushConfig();
        if (config == null) {
            return CompletableFuture.completedFuture(task);
        }
        return push.attach(config, task.id(), codec.version()).thenApply(c -> task);
    }

    /**
     * Starts a stream. Validation errors throw before the sink gets anything (the binding answers them as a plain
     * error response); afterwards the sink gets the task first and every later event. A client that goes away
     * only ends its subscription, never the task.
     */
    public CompletableFuture<Void> stream(Operation op, WireCodec codec, ObjectNode params, Caller caller,
            EventSink sink) {
        StreamRelay relay = new StreamRelay(codec, sink);
        if (op == Operation.SUBSCRIBE) {
            String taskId = codec.taskId(params);
            var snapshot = engine.subscribeVersioned(taskId, caller, codec.tenant(params), relay);
            sink.onClose(() -> engine.unsubscribe(taskId, relay));
            relay.start(snapshot.task(), snapshot.offset());
            return CompletableFuture.completedFuture(null);
        }
        SendRequest request = codec.sendRequest(params);
        if (request.pushConfig() != null) {
            push.precheck(request.pushConfig());
        }
        return engine.send(request, caller, relay).thenCompose(accepted -> {
            String taskId = accepted.task().id();
            sink.onClose(() -> engine.unsubscribe(taskId, relay));
            relay.start(accepted.task(), accepted.offset());
            return attachPush(request, accepted.task(), codec).thenApply(t -> (Void) null);
        });
    }
}
