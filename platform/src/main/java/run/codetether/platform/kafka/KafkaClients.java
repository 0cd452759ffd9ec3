package run.codetether.platform.kafka;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one factory of the platform's raw Kafka clients, all built from one {@link KafkaSettings}: reliable producers
 * (acks=all, idempotent, lz4, no linger, bounded timeouts), consumers for {@link PollLoop}s, and the admin
 * client for {@link PlatformTopics}. Raw clients are for code that needs partitions, offsets or rebalance callbacks;
 * a plain consume/produce fits a SmallRye Reactive Messaging channel instead. Thread-safe.
 */
public final class KafkaClients {
    private final KafkaSettings settings;

    public KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    /** Clients for a bare broker address (tests, benchmarks, tools): no security settings. */
    public static KafkaClients forBootstrap(String bootstrapServers) {
        return new KafkaClients(KafkaSettings.of(bootstrapServers));
    }

    public KafkaSettings settings() {
        return settings;
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
        return new KafkaConsumer<>(settings.consumer(clientId, group, overrides), keys, values);
    }

    public Admin admin(String clientId) {
        return admin(clientId, Map.of());
    }

    /** An admin client with settings of its own (e.g. shorter timeouts for a probe). */
    public Admin admin(String clientId, Map<String, ?> overrides) {
        return Admin.create(settings.admin(clientId, overrides));
    }
}
