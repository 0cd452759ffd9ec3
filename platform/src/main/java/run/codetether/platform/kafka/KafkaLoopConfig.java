package run.codetether.platform.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The platform's own Kafka settings of every Kafka service (gateway, agent, swarm), {@code codetether.kafka.*}
 * (environment {@code CODETETHER_KAFKA_*}); the Kafka clients' settings themselves are {@code kafka.*}
 * ({@link KafkaSettings}). Documented in docs/configuration.md.
 */
@ConfigMapping(prefix = "codetether.kafka")
public interface KafkaLoopConfig {
    /**
     * How long the broker holds an empty fetch of a consumer whose records are rare ({@link Traffic#RARE}): such a
     * consumer asks the broker about once per this while nothing comes (a record still arrives at once). Between
     * 100 ms and 20 s (below the consumers' 30 s request timeout); default 5s.
     */
    @WithDefault("5s")
    Duration rareFetchWait();
}
