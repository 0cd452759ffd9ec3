package run.codetether.gateway.infra.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PlatformTopics;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * Push configs on the compacted topic {@value #TOPIC} (key {@code taskId/configId}, a tombstone deletes), read in
 * full by every replica: any replica answers Get/List and the one that owns a task's events partition delivers.
 * No other service reads the topic; it is declared in contracts' {@code Topics} so that one place creates every topic.
 * Credentials are stored as given: protect the topic with Kafka ACLs.
 */
public final class KafkaPushConfigStore extends InMemoryPushConfigStore implements AutoCloseable {
    public static final String TOPIC = Topics.GATEWAY_PUSH_CONFIGS;
    private static final Logger LOG = Logger.getLogger(KafkaPushConfigStore.class);
    private static final ObjectMapper JSON = ContractJson.mapper();
    /** Continuations run off Kafka's I/O thread (a send() there would wait on itself). */
    private static final java.util.concurrent.Executor CALLBACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private record Value(PushConfig config, String version) {}

    private final KafkaClients kafka;
    private final LoopHealth health;
    private final String instanceId;
    private final KafkaProducer<String, byte[]> producer;
    private final CatchUp caughtUp = new CatchUp();
    private PollLoop<String, byte[]> loop;

    public KafkaPushConfigStore(String bootstrap, String instanceId) {
        this(KafkaClients.forBootstrap(bootstrap), new LoopHealth(), instanceId);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaPushConfigStore(KafkaClients kafka, LoopHealth health, String instanceId) {
        this.kafka = kafka;
        this.health = health;
        this.instanceId = instanceId;
        producer = kafka.producer("gateway-" + instanceId + "-push-configs", new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Creates the topic when it is missing, reads it to its end, then follows it. */
    public void start(Duration timeout) {
        // the store's own topic always exists, whether or not the gateway creates the others
        PlatformTopics.ensure(kafka, Topics.all(1).stream().filter(t -> t.name().equals(TOPIC)).toList(),
                Duration.ofSeconds(30));
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-push-configs",
                Optional.empty(), Traffic.RARE, Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            caughtUp.assign(consumer, TOPIC, CatchUp.From.BEGINNING, timeout);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        loop = PollLoop.builder("push-configs-" + instanceId, consumer)
                .pollTimeout(RareLoops.POLL_TIMEOUT)
                .beforePoll(caughtUp::check)
                .onRecord(this::read)
                .health(health)
                .start();
        caughtUp.awaitOrFail(timeout, "push configs");
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        int slash = r.key() == null ? -1 : r.key().indexOf('/');
        if (slash < 0) {
            return;
        }
        String taskId = r.key().substring(0, slash);
        String id = r.key().substring(slash + 1);
        if (r.value() == null) {
            apply(taskId, id, null);
            return;
        }
        try {
            Value v = JSON.readValue(r.value(), Value.class);
            apply(taskId, id, new Stored(v.config(), v.version()));
        } catch (Exception e) {
            LOG.warnf("skipping unreadable push config %s@%d", TOPIC, r.offset());
        }
    }

    @Override
    public CompletableFuture<Void> put(PushConfig config, String version) {
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(new Value(config, version));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new A2AException(A2AError.INTERNAL, "Internal error"));
        }
        return send(config.taskId() + "/" + config.id(), value)
                .thenRun(() -> apply(config.taskId(), config.id(), new Stored(config, version)));
    }

    @Override
    public CompletableFuture<Void> delete(String taskId, String id) {
        return send(taskId + "/" + id, null).thenRun(() -> apply(taskId, id, null));
    }

    private CompletableFuture<Void> send(String key, byte[] value) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, value), (m, err) -> {
                if (err != null) {
                    f.completeExceptionally(new A2AException(A2AError.UNAVAILABLE,
                            "Push config store unavailable; retry later"));
                } else {
                    CALLBACKS.execute(() -> f.complete(null));
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(new A2AException(A2AError.UNAVAILABLE, "Push config store unavailable"));
        }
        return f;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        producer.close(Duration.ofSeconds(5)); // a hung broker must not hold the exit (issue 19)
    }
}
