package run.codetether.gateway.domain.handler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;

/**
 * The handler the bindings call while the gateway's task state may still be catching up with the log: the servers
 * answer from the first moment, and a call that comes before the task state is there gets a retryable UNAVAILABLE
 * that says why (JSON-RPC error with {@code retryAfterSeconds}, HTTP 503 with Retry-After, gRPC UNAVAILABLE with
 * RetryInfo) instead of a TaskNotFound for a task that exists. Readiness is DOWN for as long.
 */
public final class StartingRequestHandler implements A2ARequestHandler {
    private final Supplier<A2ARequestHandler> ready;
    private final Supplier<String> why;
    private final long retryAfterSeconds;
    private volatile A2ARequestHandler target;

    /**
     * @param ready the handler once the task state is there, null before
     * @param why what the start is doing, for the refusal's message
     */
    public StartingRequestHandler(Supplier<A2ARequestHandler> ready, Supplier<String> why, long retryAfterSeconds) {
        this.ready = ready;
        this.why = why;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private <R> CompletableFuture<R> call(Function<A2ARequestHandler, CompletableFuture<R>> operation) {
        A2ARequestHandler h = target;
        if (h == null) {
            h = ready.get();
            if (h == null) {
                return CompletableFuture.failedFuture(A2AException.retryable(A2AError.UNAVAILABLE,
                        "This gateway replica is starting: its task state is not caught up with the log yet ("
                                + why.get() + "); try again shortly", retryAfterSeconds));
            }
            target = h;
        }
        return operation.apply(h);
    }

    @Override
    public CompletableFuture<Task> sendMessage(SendRequest params, CallContext context) {
        return call(h -> h.sendMessage(params, context));
    }

    @Override
    public CompletableFuture<Void> sendStreamingMessage(SendRequest params, CallContext context, StreamSink sink) {
        return call(h -> h.sendStreamingMessage(params, context, sink));
    }

    @Override
    public CompletableFuture<Task> getTask(TaskQuery params, CallContext context) {
        return call(h -> h.getTask(params, context));
    }

    @Override
    public CompletableFuture<TaskPage> listTasks(ListQuery params, CallContext context) {
        return call(h -> h.listTasks(params, context));
    }

    @Override
    public CompletableFuture<Task> cancelTask(TaskRef params, CallContext context) {
        return call(h -> h.cancelTask(params, context));
    }

    @Override
    public CompletableFuture<Void> subscribeToTask(TaskRef params, CallContext context, StreamSink sink) {
        return call(h -> h.subscribeToTask(params, context, sink));
    }

    @Override
    public CompletableFuture<PushConfig> createTaskPushNotificationConfig(NewPushConfig params, CallContext context) {
        return call(h -> h.createTaskPushNotificationConfig(params, context));
    }

    @Override
    public CompletableFuture<PushConfig> getTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return call(h -> h.getTaskPushNotificationConfig(params, context));
    }

    @Override
    public CompletableFuture<List<PushConfig>> listTaskPushNotificationConfigs(TaskRef params,
            CallContext context) {
        return call(h -> h.listTaskPushNotificationConfigs(params, context));
    }

    @Override
    public CompletableFuture<Void> deleteTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return call(h -> h.deleteTaskPushNotificationConfig(params, context));
    }

    @Override
    public CompletableFuture<AgentCard> getExtendedAgentCard(CallContext context) {
        return call(h -> h.getExtendedAgentCard(context));
    }
}
