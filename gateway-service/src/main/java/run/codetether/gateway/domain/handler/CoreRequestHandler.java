package run.codetether.gateway.domain.handler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.FinalState;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.PushConfigs;
import run.codetether.gateway.domain.ResponseLimits;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskListener;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.TaskView;

/**
 * The A2A operations over the task engine and the push configs: A2A 1.0 semantics only (the 0.3 converter and
 * the bindings map onto them). Expects admitted contexts ({@link AdmissionRequestHandlerDecorator} in front).
 *
 * <p>Every message, streamed or not, enters through {@link #accept}: the input limits, the push precheck and the
 * engine's send, in that order, before anything is written.
 */
public final class CoreRequestHandler implements A2ARequestHandler {
    private final TaskEngine engine;
    private final PushConfigs push;
    private final AgentCards cards;
    private final InputLimits limits;
    private final InFlightTasks inFlight;
    private final Duration blockingTimeout;
    private final java.util.function.BiFunction<SendRequest, Caller, SendRequest> bind;
    private final ResponseLimits responses;
    private final LiveStreams live;

    public CoreRequestHandler(TaskEngine engine, PushConfigs push, AgentCards cards, InputLimits limits,
            Duration blockingTimeout) {
        this(engine, push, cards, limits, InFlightTasks.unlimited(), blockingTimeout, (r, c) -> r);
    }

    /**
     * @param inFlight the in-flight caps a message must pass (admission control), checked after the input limits
     * @param bind binds what a message names to the caller's own resources (a worker's codebase) before it starts
     */
    public CoreRequestHandler(TaskEngine engine, PushConfigs push, AgentCards cards, InputLimits limits,
            InFlightTasks inFlight, Duration blockingTimeout,
            java.util.function.BiFunction<SendRequest, Caller, SendRequest> bind) {
        this(engine, push, cards, limits, inFlight, blockingTimeout, bind, ResponseLimits.DEFAULTS,
                new LiveStreams());
    }

    /**
     * @param responses what one task in an answer may carry (history, artifacts, size; stream items too)
     * @param live where open streams are registered (so a stopping gateway can end them with an error)
     */
    public CoreRequestHandler(TaskEngine engine, PushConfigs push, AgentCards cards, InputLimits limits,
            InFlightTasks inFlight, Duration blockingTimeout,
            java.util.function.BiFunction<SendRequest, Caller, SendRequest> bind, ResponseLimits responses,
            LiveStreams live) {
        this.responses = responses;
        this.live = live;
        this.bind = bind;
        this.engine = engine;
        this.push = push;
        this.cards = cards;
        this.limits = limits;
        this.inFlight = inFlight;
        this.blockingTimeout = blockingTimeout;
    }

    /**
     * The one way in for a message: checks, a slot under the in-flight caps, then the engine appends it and asks a
     * worker for the task. The slot's reservation ends once the send settles: by then the view counts the task.
     */
    private CompletableFuture<TaskEngine.Accepted> accept(SendRequest given, CallContext context,
            TaskListener listener) {
        Caller caller = context.requireCaller();
        limits.check(given);
        SendRequest params = bind.apply(given, caller);
        if (params.pushConfig() != null) {
            push.precheck(params.pushConfig());
        }
        InFlightTasks.Reservation slot = inFlight.admit(caller.clientId());
        CompletableFuture<TaskEngine.Accepted> sent;
        try {
            sent = params.pushConfig() == null ? engine.send(params, caller, listener)
                    // stored before a worker is asked, so even an instant answer (or a blocking send) is notified
                    : engine.send(params, caller, listener,
                            taskId -> push.attach(params.pushConfig(), taskId, context.protocolVersion()));
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        return sent.whenComplete((ok, err) -> slot.close());
    }

    @Override
    public CompletableFuture<Task> sendMessage(SendRequest params, CallContext context) {
        return attempt(() -> {
            CompletableFuture<Task> task;
            if (params.returnImmediately()) {
                task = accept(params, context, null).thenApply(TaskEngine.Accepted::task);
            } else {
                FinalState waiter = new FinalState();
                task = accept(params, context, waiter)
                        .thenCompose(accepted -> engine.awaitFinal(accepted, waiter, blockingTimeout));
            }
            return task.thenApply(t -> responses.shown(t, params.historyLength()));
        });
    }

    @Override
    public CompletableFuture<Void> sendStreamingMessage(SendRequest params, CallContext context, StreamSink sink) {
        return attempt(() -> {
            StreamRelay relay = new StreamRelay(sink, responses);
            return accept(params, context, relay).thenCompose(accepted -> {
                String taskId = accepted.task().id();
                live.add(relay);
                sink.onClose(() -> {
                    live.remove(relay);
                    engine.unsubscribe(taskId, relay);
                });
                relay.start(accepted.task(), accepted.offset());
                return CompletableFuture.<Void>completedFuture(null);
            });
        });
    }

    @Override
    public CompletableFuture<Task> getTask(TaskQuery params, CallContext context) {
        return attempt(() -> CompletableFuture.completedFuture(responses.shown(
                engine.get(params.id(), context.requireCaller(), params.tenant()), params.historyLength())));
    }

    @Override
    public CompletableFuture<TaskPage> listTasks(ListQuery params, CallContext context) {
        // the engine lists tasks as the client sees them (within the response limits)
        return attempt(() -> CompletableFuture.completedFuture(engine.list(params, context.requireCaller())));
    }

    @Override
    public CompletableFuture<Task> cancelTask(TaskRef params, CallContext context) {
        return attempt(() -> engine.cancel(params.id(), context.requireCaller(), params.tenant(), "client request")
                .thenApply(t -> responses.shown(t, null)));
    }

    @Override
    public CompletableFuture<Void> subscribeToTask(TaskRef params, CallContext context, StreamSink sink) {
        return attempt(() -> {
            StreamRelay relay = new StreamRelay(sink, responses);
            TaskView.Versioned snapshot = engine.subscribeVersioned(params.id(), context.requireCaller(),
                    params.tenant(), relay);
            live.add(relay);
            sink.onClose(() -> {
                live.remove(relay);
                engine.unsubscribe(params.id(), relay);
            });
            relay.start(snapshot.task(), snapshot.offset());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<PushConfig> createTaskPushNotificationConfig(NewPushConfig params, CallContext context) {
        return attempt(() -> push.create(params.config(), context.protocolVersion(), context.requireCaller(),
                params.tenant()));
    }

    @Override
    public CompletableFuture<PushConfig> getTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return attempt(() -> CompletableFuture.completedFuture(
                push.get(params.taskId(), params.id(), context.requireCaller(), params.tenant())));
    }

    @Override
    public CompletableFuture<List<PushConfig>> listTaskPushNotificationConfigs(TaskRef params,
            CallContext context) {
        return attempt(() -> CompletableFuture.completedFuture(
                push.list(params.id(), context.requireCaller(), params.tenant())));
    }

    @Override
    public CompletableFuture<Void> deleteTaskPushNotificationConfig(PushConfigRef params, CallContext context) {
        return attempt(() -> push.delete(params.taskId(), params.id(), context.requireCaller(), params.tenant()));
    }

    @Override
    public CompletableFuture<AgentCard> getExtendedAgentCard(CallContext context) {
        return attempt(() -> {
            context.requireCaller();
            return CompletableFuture.completedFuture(cards.card(true, context.baseUrl()));
        });
    }

    /** Runs an operation so that a refusal thrown while checking it completes the future instead. */
    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
