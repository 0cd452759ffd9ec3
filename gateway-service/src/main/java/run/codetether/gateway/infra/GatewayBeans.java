package run.codetether.gateway.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.PushConfigs;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.ResponseLimits;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.domain.LiveTenantBinding;
import run.codetether.gateway.domain.TokenVerifier;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.AdmissionRequestHandlerDecorator;
import run.codetether.gateway.domain.handler.AgentCard;
import run.codetether.gateway.domain.handler.AgentCards;
import run.codetether.gateway.domain.handler.CoreRequestHandler;
import run.codetether.gateway.domain.handler.InputLimits;
import run.codetether.gateway.domain.handler.LiveStreams;
import run.codetether.gateway.domain.handler.PushPayloads;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.handler.StartingRequestHandler;
import run.codetether.gateway.domain.handler.TenantRequestHandlerDecorator;
import run.codetether.gateway.infra.auth.JwtAuth;
import run.codetether.gateway.infra.kafka.KafkaPushConfigStore;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.gateway.infra.push.PushDispatcher;
import run.codetether.gateway.infra.tools.GrpcArchiveStager;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Wires the plain-Java domain to Kafka and the bindings, and rebuilds task state from Kafka on a thread of its own
 * while the rest of the gateway starts ({@link BackgroundStart}): the gRPC and HTTP servers answer at once, readiness
 * is DOWN and calls get a retryable UNAVAILABLE until the task state caught up (an empty view would answer
 * TaskNotFound for real tasks); a start that fails is logged, shown by readiness and tried again.
 *
 * <p>The request handler every binding calls: admission (authentication, rate limit), then the tenant, then the
 * core operations over the task engine.
 */
@ApplicationScoped
public class GatewayBeans {
    private static final Logger LOG = Logger.getLogger(GatewayBeans.class);
    private final GatewayConfig config;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private final PushPayloads pushPayloads;
    private final InFlightTasks inFlight;
    private final ResponseLimits responses;
    private final LiveStreams liveStreams = new LiveStreams();
    /** The store, the log, the catch-up, push delivery and the engine: made on a thread of their own. */
    private final BackgroundStart<TaskState> taskState;
    private TokenVerifier jwt;
    private boolean jwtBuilt;

    private final io.micrometer.core.instrument.MeterRegistry metrics;

    public GatewayBeans(GatewayConfig config, KafkaClients kafka, LoopHealth loops, PushPayloads pushPayloads,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.metrics = metrics;
        this.config = config;
        this.kafka = kafka;
        this.loops = loops;
        this.pushPayloads = pushPayloads;
        this.inFlight = new InFlightTasks(config.limits().maxInFlight(), config.limits().maxInFlightPerClient(),
                Math.max(1, config.limits().retryAfter().toSeconds()));
        this.responses = new ResponseLimits(config.limits().maxHistoryLength(), config.limits().maxArtifacts(),
                config.limits().maxTaskBytes());
        this.taskState = new BackgroundStart<>("gateway-task-state-" + config.instanceId(), this::startTaskState,
                GatewayBeans::closeTaskState, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The configured store directory, or one per instance id and Kafka cluster under the temp directory. */
    static java.nio.file.Path storeDir(GatewayConfig config, KafkaClients kafka) {
        if (config.store().dir().isPresent()) {
            return java.nio.file.Path.of(config.store().dir().get());
        }
        String cluster = Integer.toHexString(kafka.settings().bootstrapServers().hashCode());
        String name = config.instanceId().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + cluster;
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "codetether-gateway", name);
    }

    /**
     * Begins the task state's start on its own thread (when the gRPC server has not already, through the request
     * handler), and waits for it only as long as {@code store.start-wait} says (0 in production: Quarkus opens its
     * HTTP port after the start-up observers, and readiness stays DOWN until the task state caught up).
     */
    void start(@Observes StartupEvent ev) {
        checkAuth();
        taskState.begin();
        Duration wait = config.store().startWait();
        if (wait.isPositive()) {
            try {
                taskState.started().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warnf("the task state is not started after %s (%s): serving, readiness DOWN until it is", wait,
                        taskState.describe());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // never: a failed try is tried again
            }
        }
    }

    /** A closed gateway without a way to authenticate anyone fails its start at once, before anything else. */
    private void checkAuth() {
        if (!config.auth().open() && config.auth().apiKeys().map(List::isEmpty).orElse(true) && jwt() == null) {
            throw new IllegalStateException("gateway auth is closed but no API key or JWT issuer is configured: "
                    + "set CODETETHER_GATEWAY_AUTH_API_KEYS (client:secret,...), the "
                    + "CODETETHER_GATEWAY_AUTH_JWT_* settings, or CODETETHER_GATEWAY_AUTH_OPEN=true");
        }
    }

    /** Everything the task state's start made, closed in this order when the gateway stops. */
    record TaskState(TaskStateStart.Parts parts, KafkaPushConfigStore pushStore, PushDispatcher pushDispatcher,
            GrpcArchiveStager stager, TaskEngine engine) {
        TaskView view() {
            return parts.view();
        }

        KafkaTaskLog log() {
            return parts.log();
        }
    }

    /**
     * The task state's start, on its own thread ({@link BackgroundStart}): the store, the producers, the push configs
     * and the Kafka lookups side by side ({@link TaskStateStart}), the catch-up with the log, then push delivery.
     * What a failed try made is closed before it throws.
     */
    private TaskState startTaskState() {
        // the push configs catch up beside the task state (their own topic, consumer and producer)
        var push = TaskStateStart.async("gateway-push-configs-" + config.instanceId(), () -> {
            var p = new KafkaPushConfigStore(kafka, loops, config.instanceId());
            try {
                p.start(config.kafka().catchUpTimeout());
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
            return p;
        });
        TaskStateStart.Parts parts;
        try {
            parts = TaskStateStart.start(kafka, loops, new TaskStateStart.Settings(config.instanceId(),
                    storeDir(config, kafka), config.store().cacheMb(), config.kafka().sendTimeout(),
                    config.kafka().catchUpTimeout(), config.store().coldReadTimeout(),
                    config.kafka().stateHold()), () -> {
                        if (config.kafka().createTopics()) {
                            TaskTopics.ensureOnce(kafka, config.kafka().partitions());
                        }
                    }, s -> new TaskView(s, new TaskCache(config.store().cachedTasks(),
                            config.store().cachedBytes()),
                            e -> LOG.errorf("a task subscriber failed and was removed: %s", e),
                            inFlight::observe));
        } catch (RuntimeException | Error e) {
            push.thenAccept(KafkaPushConfigStore::close);
            throw e;
        }
        KafkaPushConfigStore pushStore;
        try {
            pushStore = TaskStateStart.join(push);
        } catch (RuntimeException | Error e) {
            closeParts(parts);
            throw e;
        }
        var dispatcher = new PushDispatcher(pushStore, pushPayloads,
                new UrlPolicy(config.push().allowPrivateTargets()), config.push().maxAttempts(),
                config.push().initialBackoff(), config.push().timeout(), config.push().maxQueued(),
                reason -> metrics.counter("codetether.gateway.push.dropped", "reason", reason).increment());
        dispatcher.foldedTasks(parts.view()::get); // an answer the push reader saw only part of, taken whole
        try {
            dispatcher.start(kafka, loops, config.instanceId(), config.push().enabled());
        } catch (RuntimeException | Error e) {
            dispatcher.close();
            pushStore.close();
            closeParts(parts);
            throw e;
        }
        var stager = new GrpcArchiveStager(config.tools().host(), config.tools().port(),
                config.workspace().stageTimeout());
        // issue 18: state records per task (records / tasks started) is the writer's cost an operator can see
        io.micrometer.core.instrument.FunctionCounter.builder("codetether.gateway.task.state.records",
                parts.log().stateWriter(), w -> w.recordsWritten())
                .description("tasks.state records this replica wrote").register(metrics);
        var engine = new TaskEngine(parts.log(), parts.view(), config.instanceId(),
                run.codetether.gateway.domain.TaskIds.SHARED::next, config.limits().maxPageBytes(), responses,
                new run.codetether.gateway.domain.WorkspaceUploads(stager, config.workspace().maxArchiveBytes()),
                config.accept().oneRecord());
        return new TaskState(parts, pushStore, dispatcher, stager, engine);
    }

    private static void closeParts(TaskStateStart.Parts parts) {
        parts.sync().close();
        parts.log().close();
        parts.store().close();
    }

    private static void closeTaskState(TaskState t) {
        t.pushDispatcher().close();
        t.parts().sync().close();
        t.pushStore().close();
        t.parts().log().close();
        t.parts().store().close();
        t.stager().close();
    }

    /** Completes once the task state caught up (start-up readers that need it begin then). */
    CompletableFuture<TaskState> taskStateStarted() {
        return taskState.started();
    }

    /** What the task state's start is doing, in words (readiness, the refusals of early calls). */
    String taskStateStatus() {
        return taskState.describe();
    }

    /** The started task state; waits for it (never call this on an event loop). */
    private TaskState startedTaskState() {
        taskState.begin();
        return taskState.started().join();
    }

    /** Completes with the stored tasks once started (the dashboard catches up from them after an idle pause). */
    public CompletableFuture<run.codetether.gateway.domain.TaskStore> taskStoreStarted() {
        return taskState.started().thenApply(t -> t.parts().store());
    }

    /** The task log, once started (the no-agent notice appends to it); waits for the start. */
    run.codetether.gateway.domain.TaskLog taskLog() {
        return startedTaskState().log();
    }

    /** The task event reader, for readiness (null before the start). */
    KafkaTaskStateSync taskStateSync() {
        return taskState.now().map(t -> t.parts().sync()).orElse(null);
    }

    /** The tasks.state writer, for readiness (null before the start). */
    run.codetether.gateway.infra.kafka.TaskStateWriter taskStateWriter() {
        return taskState.now().map(t -> t.log().stateWriter()).orElse(null);
    }

    /** The bearer-JWT verifier, built once (null: API keys only); a half-done JWT configuration fails here. */
    synchronized TokenVerifier jwt() {
        if (!jwtBuilt) {
            jwt = JwtAuth.verifier(config.auth().jwt());
            jwtBuilt = true;
        }
        return jwt;
    }

    void stop(@Observes ShutdownEvent ev) {
        // first, while the HTTP server still writes: every open stream ends with a retryable error event
        // (JSON-RPC error, HTTP+JSON error object, gRPC UNAVAILABLE) instead of a cut connection
        int ended = liveStreams.abortAll("shutdown", "This gateway replica is shutting down; resubscribe "
                + "(SubscribeToTask) to go on with the task on another replica", 1);
        if (ended > 0) {
            LOG.infof("shutting down: %d open streams ended with a resubscribe error", ended);
        }
        if (!(taskState.phase() instanceof BackgroundStart.Started)) {
            LOG.infof("shutting down while the task state starts (%s): what it makes is closed when it ends",
                    taskState.describe());
        }
        taskState.close();
    }

    /**
     * The handler every binding calls. Created when the gRPC server starts (on its Vert.x event loop): cheap, it only
     * begins the task state's start; until that caught up, calls get a retryable UNAVAILABLE
     * ({@link StartingRequestHandler}) and readiness is DOWN.
     */
    @Produces
    @Singleton
    A2ARequestHandler requestHandler(AgentCards cards, RequestGuard guard,
            run.codetether.gateway.domain.worker.WorkerDirectory workers) {
        checkAuth();
        taskState.begin();
        List<String> skills = new ArrayList<>(AgentCards.SKILLS.stream().map(AgentCard.Skill::id).toList());
        config.input().extraSkills().ifPresent(skills::addAll);
        InputLimits limits = new InputLimits(config.input().maxParts(), config.input().maxPartBytes(), skills);
        var codebases = new run.codetether.gateway.domain.worker.CodebaseBinding(workers);
        A2ARequestHandler starting = new StartingRequestHandler(() -> taskState.now().map(t -> {
            PushConfigs push = new PushConfigs(config.push().enabled(), t.pushStore(),
                    new UrlPolicy(config.push().allowPrivateTargets()), t.engine());
            return (A2ARequestHandler) new CoreRequestHandler(t.engine(), push, cards, limits, inFlight,
                    config.blockingTimeout(), codebases::bind, responses, liveStreams);
        }).orElse(null), taskState::describe, Math.max(1, config.limits().retryAfter().toSeconds()));
        return new AdmissionRequestHandlerDecorator(new TenantRequestHandlerDecorator(starting), guard);
    }

    /** The streams this replica serves (ended with an error when it stops). */
    @Produces
    @Singleton
    LiveStreams liveStreams() {
        return liveStreams;
    }

    @Produces
    @Singleton
    AgentCards cards() {
        // the port the gRPC server bound (Quarkus registers it once the server runs; a test's port is a free one)
        return new AgentCards(config.publicUrl().orElse(null), config.grpcPublicUrl().orElse(null),
                () -> ConfigProvider.getConfig().getValue("quarkus.grpc.server.port", Integer.class),
                config.push().enabled(), config.auth().open(),
                jwt() == null ? null : config.auth().jwt().issuer().orElse(null));
    }

    /** The in-flight counts admission decides on (the admission metrics read them too). */
    @Produces
    @Singleton
    InFlightTasks inFlightTasks() {
        return inFlight;
    }

    /** One guard for every door (A2A bindings, dashboard API): one token bucket per client across them. */
    @Produces
    @Singleton
    RequestGuard guard(LiveTenantBinding tenants) {
        return new RequestGuard(config.auth().open(), new ApiKeys(config.auth().apiKeys().orElse(List.of())),
                jwt(), new RateLimiter(config.rateLimit().requestsPerSecond(), config.rateLimit().burst(),
                        System::nanoTime), tenants);
    }
}
