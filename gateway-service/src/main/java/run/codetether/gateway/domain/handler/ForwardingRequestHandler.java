package run.codetether.gateway.domain.handler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.TenantScoped;

/**
 * Base of the handler decorators: forwards every operation to the wrapped handler through two hooks, so that a
 * cross-cutting concern is written once for all operations. A decorator for one operation (e.g. admission control
 * of sends) overrides that operation instead. A hook that throws refuses the call: the future completes
 * exceptionally and the delegate is not called.
 */
public abstract class ForwardingRequestHandler implements A2ARequestHandler {
    protected final A2ARequestHandler delegate;

    protected ForwardingRequestHandler(A2ARequestHandler delegate) {
        this.delegate = delegate;
    }

    /** Runs before every operation; returns the context the delegate gets. */
    protected CallContext before(CallContext context) {
        return context;
    }

    /** Adjusts the parameters of every operation (all of them may name a tenant). */
    protected <P extends TenantScoped<P>> P params(P params, CallContext context) {
        return params;
    }

    private <P extends TenantScoped<P>, R> CompletableFuture<R> forward(P params, CallContext context,
            BiFunction<P, CallContext, CompletableFuture<R>> operation) {
        try {
            CallContext c = before(context);
            return operation.apply(params(params, c), c);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Task> sendMessage(SendRequest params, CallContext context) {
        return forward(params, context, delegate::sendMessage);
    }

    @Override
    public CompletableFuture<Void> sendStreamingMessage(SendRequest params, CallContext context, StreamSink sink) {
        return forward(params, context, (p, c) -> delegate.sendStreamingMessage(p, c, sink));
    }

    @Override
    public CompletableFuture<Task> getTask(TaskQuery params, CallContext context) {
        return forward(params, context, delegate::getTask);
    }

    @Override
    public CompletableFuture<TaskPage> listTasks(ListQuery params, CallContext context) {
        return forward(params, context, delegate::listTasks);
    }

    @Override
    public CompletableFuture<Task> cancelTask(TaskRef params, CallContext context) {
        return forward(params, context, delegate::cancelTask);
    }

    @Override
    public CompletableFuture<Void> subscribeToTask(TaskRef params, CallContext context, StreamSink sink) {
        return forward(params, context, (p, c) -> delegate.subscribeToTask(p, c, sink));
    }

    @Override
    public CompletableFuture<PushConfig> createTaskPushNotificationConfig(NewPushConfig params, CallContext context) {
        return forward(params, context, delegate::createTaskPushNotificationConfig);
    }

    @Override
    public CompletableFuture<PushConfig> getTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return forward(params, context, delegate::getTaskPushNotificationConfig);
    }

    @Override
    public CompletableFuture<List<PushConfig>> listTaskPushNotificationConfigs(TaskRef params,
            CallContext context) {
        return forward(params, context, delegate::listTaskPushNotificationConfigs);
    }

    @Override
    public CompletableFuture<Void> deleteTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return forward(params, context, delegate::deleteTaskPushNotificationConfig);
    }

    @Override
    public CompletableFuture<AgentCard> getExtendedAgentCard(CallContext context) {
        try {
            return delegate.getExtendedAgentCard(before(context));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
