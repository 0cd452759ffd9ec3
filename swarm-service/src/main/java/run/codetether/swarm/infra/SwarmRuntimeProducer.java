package run.codetether.swarm.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
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
import run.codetether.swarm.infra.secrets.ProviderKeys;

/** Wires the plain-Java coordinator to Kafka and LangChain4j from {@link SwarmConfig}, and runs it for the app's life. */
@ApplicationScoped
public class SwarmRuntimeProducer {
    private static final Logger LOG = Logger.getLogger(SwarmRuntimeProducer.class);
    /** Model-written answers run here, off the coordinator's lock (one virtual thread per finishing swarm). */
    private static final java.util.concurrent.Executor AGGREGATION = java.util.concurrent.Executors
            .newVirtualThreadPerTaskExecutor();

    private final SwarmConfig config;
    private final String bootstrap;
    private final ProviderKeys keys;
    private KafkaSwarmRuntime runtime;

    public SwarmRuntimeProducer(SwarmConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            ProviderKeys keys) {
        this.keys = keys;
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.coordinatorEnabled()) {
            LOG.info("swarm coordinator disabled (codetether.swarm.coordinator-enabled=false)");
            return;
        }
        runtime = create(config, bootstrap, keys).start();
        LOG.infof("swarm coordinator %s joined group %s", config.instanceId(), config.groupId());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Builds a runtime from config (also used by the benchmark's worker-less instances). */
    public static KafkaSwarmRuntime create(SwarmConfig config, String bootstrap) {
        return create(config, bootstrap, provider -> null);
    }

    /** @param keys API keys of providers whose endpoint config names none (Vault, then the secrets file) */
    public static KafkaSwarmRuntime create(SwarmConfig config, String bootstrap,
            java.util.function.Function<String, String> keys) {
        Map<String, OpenAiCompatChat.Endpoint> endpoints = new HashMap<>();
        config.providers().forEach((name, p) -> endpoints.put(name,
                new OpenAiCompatChat.Endpoint(p.baseUrl(), p.model(), p.apiKey().orElse(null))));
        ProviderRateLimiter limiter = new ProviderRateLimiter(config.rateLimit().burst(), config.rateLimit().perSecond(),
                System::nanoTime);
        ChatPort chat = new RateLimitedChatDecorator(
                new OpenAiCompatChat(endpoints, config.defaultProvider(), config.llmTimeout(), keys), limiter,
                nanos -> {
                    try {
                        Thread.sleep(java.time.Duration.ofNanos(nanos));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a rate token", e);
                    }
                });
        var settings = new SwarmSettings(config.defaultConcurrency(), config.maxSubtasks(), config.retryBudget());
        var validator = new ResultValidator(config.validation().minChars(), config.validation().llmCheck() ? chat : null);
        return new KafkaSwarmRuntime(bootstrap, config.groupId(), config.instanceId(),
                outbox -> new SwarmCoordinator(config.instanceId(), new LlmDecomposer(chat), validator,
                        new InMemoryResultCache(10_000), limiter, outbox, settings, Clock.systemUTC(),
                        config.llmAggregation() ? new LlmAggregator(chat) : AnswerAggregator.JOIN, AGGREGATION));
    }
}
