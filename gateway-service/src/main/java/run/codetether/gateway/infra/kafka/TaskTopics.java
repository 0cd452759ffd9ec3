package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PlatformTopics;

/**
 * Creates the topics the gateway reads and writes when they are missing (every one of {@code Topics.all}, the state
 * topic compacted), through the platform's admin client so the service's SASL/TLS settings apply.
 */
public final class TaskTopics {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** One creation per clients object (a service's start): its readers each ask, only the first one's runs. */
    private static final Map<KafkaClients, CompletableFuture<Void>> DONE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private TaskTopics() {}

    /** For a bare broker address (tests). */
    public static void ensure(String bootstrapServers, int partitions) {
        ensure(KafkaClients.forBootstrap(bootstrapServers), partitions);
    }

    /** @throws IllegalStateException when Kafka cannot be reached or refuses a topic */
    public static void ensure(KafkaClients kafka, int partitions) {
        try {
            PlatformTopics.ensureAll(kafka, partitions, TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.settings().bootstrapServers()
                    + " to create the task topics: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #ensure(KafkaClients, int)}, once for these clients: the gateway's start-up readers (task state,
     * spend stats, workers, MCP tools) each need the topics, and each creation costs an admin client and two round
     * trips on the start's critical path. A caller during the first creation waits for it; a failed creation is
     * rethrown to its waiters and tried again by the next caller.
     */
    public static void ensureOnce(KafkaClients kafka, int partitions) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> first = DONE.putIfAbsent(kafka, mine);
        if (first == null) {
            try {
                ensure(kafka, partitions);
                mine.complete(null);
                return;
            } catch (RuntimeException | Error e) {
                DONE.remove(kafka, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            first.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot create the task topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the task topics were created", e);
        }
    }
}
