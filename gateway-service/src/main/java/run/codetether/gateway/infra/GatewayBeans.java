package run.codetether.gateway.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
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
import run.codetether.gateway.domain.handler.TenantRequestHandlerDecorator;
import run.codetether.gateway.infra.auth.JwtAuth;
import run.codetether.gateway.infra.kafka.KafkaPushConfigStore;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.gateway.infra.push.PushDispatcher;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Wires the plain-Java domain to Kafka and the bindings, and rebuilds task state from Kafka before the gateway
 * serves (start-up fails loudly when Kafka cannot be read: an empty view would answer TaskNotFound for real tasks).
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
    private TaskView view;
    private MvTaskStore store;
    private final ResponseLimits responses;
    /** tools-service's StageArchive (workspace archives), its channel opened on first use. */
    private run.codetether.gateway.infra.tools.GrpcArchiveStager stager;
    private final LiveStreams liveStreams = new LiveStreams();
    private KafkaTaskLog log;
    private KafkaTaskStateSync sync;
    private KafkaPushConfigStore pushStore;
    private PushDispatcher pushDispatcher;
    private TaskEngine engine;
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

    void start(@Observes StartupEvent ev) {
        engine();
    }

    synchronized TaskEngine engine() {
        if (engine == null) {
            if (!config.auth().open() && config.auth().apiKeys().map(List::isEmpty).orElse(true)
                    && jwt() == null) {
                throw new IllegalStateException("gateway auth is closed but no API key or JWT issuer is configured: "
                        + "set CODETETHER_GATEWAY_AUTH_API_KEYS (client:secret,...), the "
                        + "CODETETHER_GATEWAY_AUTH_JWT_* settings, or CODETETHER_GATEWAY_AUTH_OPEN=true");
            }
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
            store = parts.store();
            view = parts.view();
            log = parts.log();
            sync = parts.sync();
            // issue 18: state records per task (records / tasks started) is the writer's cost an operator can see
            io.micrometer.core.instrument.FunctionCounter.builder("codetether.gateway.task.state.records",
                    log.stateWriter(), w -> w.recordsWritten())
                    .description("tasks.state records this replica wrote").register(metrics);
            pushStore = TaskStateStart.join(push);
            pushDispatcher = new PushDispatcher(pushStore, pushPayloads,
                    new UrlPolicy(config.push().allowPrivateTargets()), config.push().maxAttempts(),
                    config.push().initialBackoff(), config.push().timeout(), config.push().maxQueued(),
                    reason -> metrics.counter("codetether.gateway.push.dropped", "reason", reason).increment());
            pushDispatcher.start(kafka, loops, config.instanceId(), config.push().enabled());
            stager = new run.codetether.gateway.infra.tools.GrpcArchiveStager(config.tools().host(),
                    config.tools().port(), config.workspace().stageTimeout());
            engine = new TaskEngine(log, view, config.instanceId(), () -> java.util.UUID.randomUUID().toString(),
                    config.limits().maxPageBytes(), responses, new run.codetether.gateway.domain.WorkspaceUploads(
                            stager, config.workspace().maxArchiveBytes()));
        }
        return engine;
    }

    /** The folded tasks this replica answers from (the no-agent notice reads them). */
    synchronized TaskView view() {
        engine();
        return view;
    }

    /** The stored tasks (the dashboard catches up from them after an idle pause). */
    public synchronized run.codetether.gateway.domain.TaskStore taskStore() {
        engine();
        return store;
    }

    /** The task log, once started (the no-agent notice appends to it). */
    synchronized run.codetether.gateway.domain.TaskLog taskLog() {
        engine();
        return log;
    }

    /** The task event reader, for readiness (null before start). */
    synchronized KafkaTaskStateSync taskStateSync() {
        return sync;
    }

    /** The tasks.state writer, for readiness (null before start). */
    synchronized run.codetether.gateway.infra.kafka.TaskStateWriter taskStateWriter() {
        return log == null ? null : log.stateWriter();
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
        if (pushDispatcher != null) {
            pushDispatcher.close();
        }
        if (sync != null) {
            sync.close();
        }
        if (pushStore != null) {
            pushStore.close();
        }
        if (log != null) {
            log.close();
        }
        if (store != null) {
            store.close();
        }
        if (stager != null) {
            stager.close();
        }
    }

    @Produces
    @Singleton
    A2ARequestHandler requestHandler(AgentCards cards, RequestGuard guard,
            run.codetether.gateway.domain.worker.WorkerDirectory workers) {
        TaskEngine e = engine();
        PushConfigs push = new PushConfigs(config.push().enabled(), pushStore,
                new UrlPolicy(config.push().allowPrivateTargets()), e);
        List<String> skills = new ArrayList<>(AgentCards.SKILLS.stream().map(AgentCard.Skill::id).toList());
        config.input().extraSkills().ifPresent(skills::addAll);
        InputLimits limits = new InputLimits(config.input().maxParts(), config.input().maxPartBytes(), skills);
        var codebases = new run.codetether.gateway.domain.worker.CodebaseBinding(workers);
        A2ARequestHandler core = new CoreRequestHandler(e, push, cards, limits, inFlight, config.blockingTimeout(),
                codebases::bind, responses, liveStreams);
        return new AdmissionRequestHandlerDecorator(new TenantRequestHandlerDecorator(core), guard);
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
