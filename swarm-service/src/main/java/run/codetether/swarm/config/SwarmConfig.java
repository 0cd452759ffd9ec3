package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Typed configuration of the swarm-service, prefix {@code codetether.swarm}. */
@ConfigMapping(prefix = "codetether.swarm")
public interface SwarmConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Whether the Kafka coordinator runs in this process; default true. */
    @WithDefault("true")
    boolean coordinatorEnabled();

    /** Consumer group on {@code swarm.requested}; replicas in one group share and take over swarms. Default swarm-workers. */
    @WithDefault("swarm-workers")
    String groupId();

    /** Subtasks running at once for a swarm that asks for 0; default 8. */
    @WithDefault("8")
    int defaultConcurrency();

    /** Most subtasks in one plan; default 100. */
    @WithDefault("100")
    int maxSubtasks();

    /** Re-dispatches one swarm may spend on failed or rejected subtasks; default 3. */
    @WithDefault("3")
    int retryBudget();

    /** Provider used when a swarm names none; default local. */
    @WithDefault("local")
    String defaultProvider();

    /** Timeout of one model call; default 60s. */
    @WithDefault("60s")
    Duration llmTimeout();

    /** OpenAI-compatible endpoints by provider name ({@code codetether.swarm.providers.<name>.*}). */
    Map<String, Provider> providers();

    RateLimit rateLimit();

    Validation validation();

    interface Provider {
        /** Base URL ending in /v1 (LangChain4j appends /chat/completions). */
        String baseUrl();

        /** Default model of this provider. */
        String model();

        /** API key; absent for local servers. Never logged. */
        Optional<String> apiKey();
    }

    /** The shared per-provider token bucket for subtask dispatches and the service's own model calls. */
    interface RateLimit {
        /** Tokens available at once; default 20. */
        @WithDefault("20")
        int burst();

        /** Tokens added per second; default 10. */
        @WithDefault("10")
        double perSecond();
    }

    interface Validation {
        /** Shortest accepted result in characters; default 1. */
        @WithDefault("1")
        int minChars();

        /** Also ask the model whether a result fulfils its instruction; default false. */
        @WithDefault("false")
        boolean llmCheck();
    }
}
