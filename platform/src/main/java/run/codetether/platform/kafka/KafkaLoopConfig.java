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

    /**
     * The least time between two offset commits of the readers whose re-read is harmless ({@link PacedCommits}: the
     * gateway's task-event reader and push dispatcher); after a crash they read at most this much again. 0 commits
     * after every batch; default 1s.
     */
    @WithDefault("1s")
    Duration commitInterval();

    /**
     * How long a Kafka loop waits out a broker outage, trying its Kafka calls again with backoff (100 ms doubling to
     * 5 s), before it gives up and dies (readiness DOWN; the gateway then exits with status 4 and is started again).
     * 0 gives up at the first error; default 5m (issue 19).
     */
    @WithDefault("5m")
    Duration outageBudget();
}
