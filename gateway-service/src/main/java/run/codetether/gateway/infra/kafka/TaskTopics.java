package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PlatformTopics;

/**
 * Creates the topics the gateway reads and writes when they are missing (every one of {@code Topics.all}, the state
 * topic compacted), through the platform's admin client so the service's SASL/TLS settings apply.
 */
public final class TaskTopics {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
}
