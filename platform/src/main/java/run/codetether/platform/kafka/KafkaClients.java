package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one factory of the platform's raw Kafka clients, all built from one {@link KafkaSettings}: reliable producers
 * (acks=all, idempotent, lz4, no linger, one request in flight, bounded timeouts), consumers for {@link PollLoop}s,
 * and the admin client for {@link PlatformTopics}. Raw clients are for code that needs partitions, offsets or
 * rebalance callbacks; a plain consume/produce fits a SmallRye Reactive Messaging channel instead. Thread-safe.
 */
public final class KafkaClients {
    /** {@code codetether.kafka.rare-fetch-wait}'s default. */
    public static final Duration DEFAULT_RARE_FETCH_WAIT = Duration.ofSeconds(5);
    static final Duration MIN_RARE_FETCH_WAIT = Duration.ofMillis(100);
    /** Below the consumers' default {@code request.timeout.ms} (30 s), or every held fetch would time out. */
    static final Duration MAX_RARE_FETCH_WAIT = Duration.ofSeconds(20);

    /** {@code codetether.kafka.commit-interval}'s default. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final KafkaSettings settings;
    private final Duration rareFetchWait;
    private final Duration commitInterval;
    private final Duration outageBudget;

    public KafkaClients(KafkaSettings settings) {
        this(settings, DEFAULT_RARE_FETCH_WAIT);
    }

    public KafkaClients(KafkaSettings settings, Duration rareFetchWait) {
        this(settings, rareFetchWait, DEFAULT_COMMIT_INTERVAL);
    }

    /**
     * @param rareFetchWait the broker's hold of an empty fetch for {@link Traffic#RARE} consumers
     * @param commitInterval the least time between two commits of a {@link PacedCommits}
     */
    public KafkaClients(KafkaSettings settings, Duration rareFetchWait, Duration commitInterval) {
        this(settings, rareFetchWait, commitInterval, KafkaOutage.DEFAULT_BUDGET);
    }

    /**
     * @param outageBudget {@code codetether.kafka.outage-budget}: how long the one-shot calls made with these
     *        clients ({@link PlatformTopics#ensure}, {@link ReadToEnd} and {@link CatchUp#assign} on their consumers)
     *        wait out a broker that does not answer
     */
    public KafkaClients(KafkaSettings settings, Duration rareFetchWait, Duration commitInterval,
            Duration outageBudget) {
        if (rareFetchWait.compareTo(MIN_RARE_FETCH_WAIT) < 0 || rareFetchWait.compareTo(MAX_RARE_FETCH_WAIT) > 0) {
            throw new IllegalArgumentException("codetether.kafka.rare-fetch-wait must be between "
                    + MIN_RARE_FETCH_WAIT.toMillis() + " ms and " + MAX_RARE_FETCH_WAIT.toSeconds() + " s, not "
                    + rareFetchWait);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.commit-interval must be >= 0, not " + commitInterval);
        }
        if (outageBudget.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.outage-budget must be >= 0, not " + outageBudget);
        }
        this.settings = settings;
        this.rareFetchWait = rareFetchWait;
        this.commitInterval = commitInterval;
        this.outageBudget = outageBudget;
    }

    /** Clients for a bare broker address (tests, benchmarks, tools): no security settings. */
    public static KafkaClients forBootstrap(String bootstrapServers) {
        return new KafkaClients(KafkaSettings.of(bootstrapServers));
    }

    public KafkaSettings settings() {
        return settings;
    }

    /** Offsets paced by {@code codetether.kafka.commit-interval}, for a loop whose re-read is harmless. */
    public PacedCommits pacedCommits() {
        return new PacedCommits(commitInterval);
    }

    /**
     * {@code codetether.kafka.outage-budget}: how long a one-shot call of a start waits out a broker that does not
     * answer ({@link OutageRetry}); every consumer made here carries it ({@link OutageRetry#budgetOf}).
     */
    public Duration outageBudget() {
        return outageBudget;
    }

    /** How long the broker holds an empty fetch of a {@link Traffic#RARE} consumer. */
    public Duration rareFetchWait() {
        return rareFetchWait;
    }

    /** A reliable producer (see {@link KafkaSettings}). */
    public <K, V> KafkaProducer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values) {
        return producer(clientId, Map.of(), keys, values);
    }

    /**
     * A reliable producer with settings of its own (e.g. {@code max.request.size} for large records);
     * {@code acks} and {@code enable.idempotence} cannot be overridden.
     */
    public <K, V> KafkaProducer<K, V> producer(String clientId, Map<String, ?> overrides, Serializer<K> keys,
            Serializer<V> values) {
        return new KafkaProducer<>(settings.producer(clientId, overrides), keys, values);
    }

    /**
     * A consumer; without a group it reads assigned partitions only.
     *
     * @param overrides the loop's own settings (e.g. {@code auto.offset.reset=latest}, {@code max.poll.records})
     */
    public <K, V> KafkaConsumer<K, V> consumer(String clientId, Optional<String> group, Map<String, ?> overrides,
            Deserializer<K> keys, Deserializer<V> values) {
        return consumer(clientId, group, Traffic.STEADY, overrides, keys, values);
    }

    /**
     * A consumer whose idle fetches the broker holds as its traffic warrants ({@link Traffic}); a
     * {@code fetch.max.wait.ms} among the overrides wins. One whose hold is longer than Kafka's 500 ms closes without
     * waiting it out ({@link HeldFetchConsumer}).
     */
    public <K, V> KafkaConsumer<K, V> consumer(String clientId, Optional<String> group, Traffic traffic,
            Map<String, ?> overrides, Deserializer<K> keys, Deserializer<V> values) {
        return HeldFetchConsumer.of(consumerConfig(clientId, group, traffic, overrides), keys, values, outageBudget);
    }

    /** The settings {@link #consumer(String, Optional, Traffic, Map, Deserializer, Deserializer)} builds one with. */
    Map<String, Object> consumerConfig(String clientId, Optional<String> group, Traffic traffic,
            Map<String, ?> overrides) {
        Map<String, Object> own = new LinkedHashMap<>();
        if (traffic == Traffic.RARE) {
            own.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) rareFetchWait.toMillis());
        }
        own.putAll(overrides);
        return settings.consumer(clientId, group, own);
    }

    public Admin admin(String clientId) {
        return admin(clientId, Map.of());
    }

    /** An admin client with settings of its own (e.g. shorter timeouts for a probe). */
    public Admin admin(String clientId, Map<String, ?> overrides) {
        return Admin.create(settings.admin(clientId, overrides));
    }
}
