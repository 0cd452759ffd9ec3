package run.codetether.swarm.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.platform.budget.DailySpend;
import run.codetether.platform.budget.KafkaSpendLedger;
import run.codetether.platform.budget.SpendLedger;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderOverride;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.swarm.config.BudgetsConfig;
import run.codetether.swarm.config.ProvidersConfig;
import run.codetether.swarm.config.SwarmConfig;
import run.codetether.swarm.domain.AnswerAggregator;
import run.codetether.swarm.domain.ChatPort;
import run.codetether.swarm.domain.InMemoryResultCache;
import run.codetether.swarm.domain.LlmAggregator;
import run.codetether.swarm.domain.LlmDecomposer;
import run.codetether.swarm.domain.ProviderRateLimiter;
import run.codetether.swarm.domain.RateLimitedChatDecorator;
import run.codetether.swarm.domain.ResultValidator;
import run.codetether.swarm.domain.SwarmCoordinator;
import run.codetether.swarm.domain.SwarmSettings;
import run.codetether.swarm.infra.kafka.KafkaSwarmRuntime;
import run.codetether.swarm.infra.llm.OpenAiCompatChat;
import run.codetether.swarm.infra.llm.SwarmProviders;

/** Wires the plain-Java coordinator to Kafka and LangChain4j from {@link SwarmConfig}, and runs it for the app's life. */
@ApplicationScoped
public class SwarmRuntimeProducer {
    private static final Logger LOG = Logger.getLogger(SwarmRuntimeProducer.class);
    /** Planning, model checks and written answers run here: one virtual thread per call, off every lock and loop. */
    private static final Executor MODEL_CALLS = Executors.newVirtualThreadPerTaskExecutor();

    private final SwarmConfig config;
    private final ProvidersConfig providers;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private final SecretSource secrets;
    private final ModelCatalog prices;
    private final BudgetsConfig budgets;
    private KafkaSwarmRuntime runtime;
    private KafkaSpendLedger spend;

    /** @param catalog the model catalog the agent charges by (file or URL), else the built-in one */
    public SwarmRuntimeProducer(SwarmConfig config, ProvidersConfig providers, KafkaClients kafka, LoopHealth loops,
            SecretSource secrets, @ConfigProperty(name = "codetether.models.catalog") Optional<String> catalog,
            BudgetsConfig budgets) {
        this.budgets = budgets;
        this.prices = ModelCatalog.load(catalog);
        this.config = config;
        this.providers = providers;
        this.kafka = kafka;
        this.loops = loops;
        this.secrets = secrets;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.coordinatorEnabled()) {
            LOG.info("swarm coordinator disabled (codetether.swarm.coordinator-enabled=false)");
            return;
        }
        runtime = create(config, kafka, loops, providers(config, providers, secrets), prices, tenantBudgets()).start();
        LOG.infof("swarm coordinator %s joined group %s", config.instanceId(), config.groupId());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runtime != null) {
            runtime.close();
        }
        if (spend != null) {
            spend.close(); // publishes what is left, so a restart with the same id continues from it
        }
    }

    /**
     * The tenants' budgets the coordinator's own calls are checked against and charged to: shared with the agents
     * and the gateway's stats over {@code tenants.spend} under the replica id {@code swarm-<instance-id>} (so no agent
     * replica's figure is replaced), or this instance's memory only.
     */
    private TenantBudgets tenantBudgets() {
        SpendLedger ledger;
        if (budgets.shared()) {
            spend = new KafkaSpendLedger(kafka, "swarm-" + config.instanceId(), budgets.publishInterval(),
                    budgets.retentionDays(), Clock.systemUTC(), null).start(budgets.catchUpTimeout());
            ledger = spend;
        } else {
            ledger = new DailySpend();
        }
        return TenantBudgets.of(budgets, Clock.systemUTC(), ledger);
    }

    /** The catalog with this deployment's overrides and keys. */
    public static SwarmProviders providers(SwarmConfig config, ProvidersConfig providers, SecretSource secrets) {
        Map<String, ProviderOverride> overrides = new HashMap<>();
        providers.providers().forEach((name, p) -> overrides.put(name, new ProviderOverride(p.baseUrl(), p.model())));
        return new SwarmProviders(ProviderCatalog.builtIn(), overrides, config.defaultProvider(), secrets);
    }

    /** Builds a runtime from config (also used by the benchmark's worker-less instances). */
    public static KafkaSwarmRuntime create(SwarmConfig config, KafkaClients kafka, LoopHealth loops,
            SwarmProviders providers, ModelCatalog prices) {
        return create(config, kafka, loops, providers, prices, TenantBudgets.UNLIMITED);
    }

    /** @param budgets what the coordinator's own model calls are checked against and charged to */
    public static KafkaSwarmRuntime create(SwarmConfig config, KafkaClients kafka, LoopHealth loops,
            SwarmProviders providers, ModelCatalog prices, TenantBudgets budgets) {
        ProviderRateLimiter limiter = new ProviderRateLimiter(config.rateLimit().burst(), config.rateLimit().perSecond(),
                System::nanoTime);
        ChatPort chat = new RateLimitedChatDecorator(new OpenAiCompatChat(providers, config.llmTimeout(), prices), limiter,
                nanos -> {
                    try {
                        Thread.sleep(Duration.ofNanos(nanos));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a rate token", e);
                    }
                });
        var settings = new SwarmSettings(config.defaultConcurrency(), config.maxSubtasks(), config.retryBudget(),
                config.maxQueuedWrites());
        var validator = new ResultValidator(config.validation().minChars(), config.validation().llmCheck() ? chat : null);
        return new KafkaSwarmRuntime(kafka, config.groupId(), config.instanceId(), loops, config.stateReadTimeout(),
                outbox -> new SwarmCoordinator(config.instanceId(), new LlmDecomposer(chat), validator,
                        new InMemoryResultCache(10_000), limiter, outbox, settings, Clock.systemUTC(),
                        config.llmAggregation() ? new LlmAggregator(chat) : AnswerAggregator.JOIN, MODEL_CALLS,
                        budgets));
    }
}
