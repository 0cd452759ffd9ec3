package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import run.codetether.swarm.domain.SwarmSettings;

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

    /**
     * Longest read of {@code swarm.state} to its end, at start (the result cache) and when this replica takes
     * swarms over, broker look-ups included; past it start-up (or the take-over, readiness down) fails with the
     * partition and offset the read stood at; default 60s.
     */
    @WithDefault("60s")
    Duration stateReadTimeout();

    /** Subtasks running at once for a swarm that asks for 0; default 8. */
    @WithDefault("8")
    int defaultConcurrency();

    /** Most subtasks in one plan; default 100. */
    @WithDefault("100")
    int maxSubtasks();

    /** Re-dispatches one swarm may spend on failed or rejected subtasks; default 3. */
    @WithDefault("3")
    int retryBudget();

    /**
     * Writes (subtasks, cancels, events, states) the coordinator may have waiting for the broker before the thread
     * that brings the next input (a Kafka consumer, a model call) waits for them to be sent instead of taking it
     * (backpressure while the broker stalls; nothing is dropped, the order stays); default 256.
     */
    @WithDefault("" + SwarmSettings.DEFAULT_MAX_QUEUED_WRITES)
    int maxQueuedWrites();

    /**
     * Provider of the service's own calls when a swarm names none (env CODETETHER_SWARM_DEFAULT_PROVIDER); default
     * the platform catalog's rule, as in agent-service: local when CODETETHER_LOCAL_BASE_URL is set, else the first
     * provider with a key. Endpoints and models are {@code codetether.providers.<name>.*} ({@link ProvidersConfig}).
     */
    Optional<String> defaultProvider();

    /** Timeout of one model call; default 60s. */
    @WithDefault("60s")
    Duration llmTimeout();

    RateLimit rateLimit();

    /**
     * Local secrets file with provider keys when Vault has none (env CODETETHER_SECRETS_FILE); default the platform
     * rule: $XDG_CONFIG_HOME/codetether/secrets.json, else ~/.config/codetether/secrets.json (what
     * {@code codetether auth add} writes).
     */
    Optional<String> secretsFile();

    /** How long a key read from Vault or the file is reused (a rotated key is used after at most this); default 5m. */
    @WithDefault("5m")
    Duration secretsCacheTtl();

    /** Vault layout of provider keys. */
    Vault vault();

    interface Vault {
        /** Path under the KV v2 mount; default codetether/providers (env VAULT_SECRETS_PATH). */
        @WithDefault("codetether/providers")
        String secretsPath();
    }

    /**
     * Whether the model writes the final answer from the subtask results (else the deterministic join); default
     * true. A failed model call falls back to the join, labelled as such.
     */
    @WithDefault("true")
    boolean llmAggregation();

    Validation validation();

    Cognition cognition();

    /**
     * The persona runtime; every key is fed from the original's {@code CODETETHER_COGNITION_*} variable of the same
     * name in application.properties.
     */
    interface Cognition {
        /** CODETETHER_COGNITION_ENABLED; default true. */
        @WithDefault("true")
        boolean enabled();

        /**
         * CODETETHER_COGNITION_AUTO_START: start the loop when this replica becomes owner; default false (the
         * original's is true): a started loop thinks and publishes every interval, which every gateway reads, so an
         * idle platform starts it only on request ({@code POST /v1/cognition/start}), as the chart does.
         */
        @WithDefault("false")
        boolean autoStart();

        /** Consumer group on cognition.commands; default cognition-workers. */
        @WithDefault("cognition-workers")
        String groupId();

        /**
         * Longest a replica that takes cognition over may read its state back from {@code cognition.events}, broker
         * look-ups included; past it the take-over fails loudly (readiness down) instead of hanging; default 30s.
         */
        @WithDefault("30s")
        Duration restoreTimeout();

        /** CODETETHER_COGNITION_LOOP_INTERVAL_MS; default 2000 (at least 100). */
        @WithDefault("2000")
        long loopIntervalMs();

        /** CODETETHER_COGNITION_MAX_SPAWN_DEPTH; default 4. */
        @WithDefault("4")
        int maxSpawnDepth();

        /** CODETETHER_COGNITION_MAX_BRANCHING_FACTOR; default 4. */
        @WithDefault("4")
        int maxBranchingFactor();

        /** CODETETHER_COGNITION_MAX_EVENTS; default 2000. */
        @WithDefault("2000")
        int maxEvents();

        /** CODETETHER_COGNITION_MAX_SNAPSHOTS; default 128. */
        @WithDefault("128")
        int maxSnapshots();

        /**
         * CODETETHER_COGNITION_MAX_PROPOSALS; default 32 (at least 1): proposals kept and carried by each published
         * View, oldest dropped first and counted ({@code proposals_dropped}).
         */
        @WithDefault("32")
        int maxProposals();

        Thinker thinker();
    }

    interface Thinker {
        /** CODETETHER_COGNITION_THINKER_ENABLED; default true. */
        @WithDefault("true")
        boolean enabled();

        /** CODETETHER_COGNITION_THINKER_BACKEND: only openai_compat is served here; default openai_compat. */
        @WithDefault("openai_compat")
        String backend();

        /** CODETETHER_COGNITION_THINKER_BASE_URL; default http://127.0.0.1:11434/v1. */
        @WithDefault("http://127.0.0.1:11434/v1")
        String baseUrl();

        /** CODETETHER_COGNITION_THINKER_MODEL; default qwen2.5:3b-instruct. */
        @WithDefault("qwen2.5:3b-instruct")
        String model();

        /** CODETETHER_COGNITION_THINKER_API_KEY; absent by default. Never logged. */
        Optional<String> apiKey();

        /** CODETETHER_COGNITION_THINKER_TEMPERATURE; default 0.2. */
        @WithDefault("0.2")
        double temperature();

        /** CODETETHER_COGNITION_THINKER_MAX_TOKENS; default 256. */
        @WithDefault("256")
        int maxTokens();

        /** CODETETHER_COGNITION_THINKER_TIMEOUT_MS; default 12000. */
        @WithDefault("12000")
        long timeoutMs();
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
