package run.codetether.gateway.infra.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;

/**
 * Push configs on the compacted topic {@value #TOPIC} (key {@code taskId/configId}, a tombstone deletes), read in
 * full by every replica: any replica answers Get/List and the one that owns a task's events partition delivers.
 * The topic is private to the gateway (no other service reads it), so it is declared here, not in contracts.
 * Credentials are stored as given: protect the topic with Kafka ACLs.
 */
public final class KafkaPushConfigStore extends InMemoryPushConfigStore implements AutoCloseable {
    public static final String TOPIC = "gateway.push-configs";
    private static final Logger LOG = Logger.getLogger(KafkaPushConfigStore.class);
    private static final ObjectMapper JSON = ContractJson.mapper();
    /** Continuations run off Kafka's I/O thread (a send() there would wait on itself). */
    private static final java.util.concurrent.Executor CALLBACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private record Value(PushConfig config, String version) {}

    private final String bootstrap;
    private final String instanceId;
    private final KafkaProducer<String, byte[]> producer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaPushConfigStore(String bootstrap, String instanceId) {
        this.bootstrap = bootstrap;
        this.instanceId = instanceId;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void start(Duration timeout) {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(ap)) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) -1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topic " + TOPIC + ": " + e.getMessage(), e);
            }
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + instanceId + "-push-configs");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(TOPIC, timeout).forEach(i -> parts.add(new TopicPartition(TOPIC, i.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        thread = Thread.ofPlatform().daemon().name("push-configs-" + instanceId).start(() -> follow(end));
        try {
            if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("push configs not read within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading push configs", e);
        }
    }

    private void follow(Map<TopicPartition, Long> end) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    int slash = r.key() == null ? -1 : r.key().indexOf('/');
                    if (slash < 0) {
                        continue;
                    }
                    String taskId = r.key().substring(0, slash);
                    String id = r.key().substring(slash + 1);
                    if (r.value() == null) {
                        apply(taskId, id, null);
                        continue;
                    }
                    try {
                        Value v = JSON.readValue(r.value(), Value.class);
                        apply(taskId, id, new Stored(v.config(), v.version()));
                    } catch (Exception e) {
                        LOG.warnf("skipping unreadable push config %s@%d", TOPIC, r.offset());
                    }
                }
                if (caughtUp.getCount() > 0) {
                    boolean done = true;
                    for (var e : end.entrySet()) {
                        done &= consumer.position(e.getKey()) >= e.getValue();
                    }
                    if (done) {
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
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
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close();
    }
}
