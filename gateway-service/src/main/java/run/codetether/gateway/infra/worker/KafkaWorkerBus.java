package run.codetether.gateway.infra.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.worker.WorkerCallReply;
import run.codetether.contracts.worker.WorkerCallRequest;
import run.codetether.contracts.worker.WorkerRegistration;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.gateway.infra.kafka.RareLoops;
import run.codetether.platform.json.Json;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.OutageRetry;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * The gateway's side of worker mode on Kafka: publishes the registrations of the streams this replica holds on
 * {@value Topics#WORKERS_REGISTRY} (compacted; a tombstone when a worker is gone) and reads that topic in full into
 * the {@link WorkerDirectory}; reads every call on {@value Topics#WORKERS_CALLS} (no consumer group: each replica
 * sees all, the one holding the worker's stream delivers) and publishes the workers' answers on
 * {@value Topics#WORKERS_RESULTS}. Both readers are platform {@link PollLoop}s (a dead one turns readiness down).
 */
public final class KafkaWorkerBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaWorkerBus.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final KafkaClients kafka;
    private final LoopHealth health;
    private final String instanceId;
    private final WorkerDirectory directory;
    private KafkaProducer<String, byte[]> producer; // guarded by this; made by start or the first send
    private final List<PollLoop<String, byte[]>> loops = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public KafkaWorkerBus(String bootstrap, String instanceId, WorkerDirectory directory) {
        this(KafkaClients.forBootstrap(bootstrap), new LoopHealth(), instanceId, directory);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaWorkerBus(KafkaClients kafka, LoopHealth health, String instanceId, WorkerDirectory directory) {
        this.kafka = kafka;
        this.health = health;
        this.instanceId = instanceId;
        this.directory = directory;
    }

    /**
     * Reads the registry up to its end (so a new replica lists what others hold), then follows both topics. A start
     * that fails closes the readers it made, so it can be tried again.
     */
    public void start(Duration timeout) {
        try {
            producer();
            followBoth(timeout);
        } catch (RuntimeException | Error e) {
            loops.forEach(PollLoop::close);
            loops.clear();
            throw e;
        }
    }

    private void followBoth(Duration timeout) {
        CatchUp registry = follow(Topics.WORKERS_REGISTRY, CatchUp.From.BEGINNING, timeout, r -> {
            try {
                directory.apply(r.key(), r.value() == null ? null
                        : JSON.readValue(r.value(), WorkerRegistration.class));
            } catch (Exception e) {
                LOG.warnf("skipping unreadable worker registration %s@%d: %s", Topics.WORKERS_REGISTRY, r.offset(),
                        e.getMessage());
            }
        });
        follow(Topics.WORKERS_CALLS, CatchUp.From.END, timeout, r -> {
            try {
                WorkerCallRequest call = JSON.readValue(r.value(), WorkerCallRequest.class);
                // false: another replica holds the worker, or none does (the agent waits for a reconnect up to its
                // own limit and sends the call again)
                directory.deliverLocal(call);
            } catch (Exception e) {
                LOG.warnf("skipping unreadable worker call %s@%d: %s", Topics.WORKERS_CALLS, r.offset(),
                        e.getMessage());
            }
        });
        registry.awaitOrFail(timeout, "the worker registry");
    }

    /** Reads every partition of the topic, without a group (each replica sees every record), on a platform loop. */
    private CatchUp follow(String topic, CatchUp.From from, Duration timeout,
            Consumer<ConsumerRecord<String, byte[]>> handler) {
        if (closed) {
            throw new IllegalStateException("the worker bus was closed while it started");
        }
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-" + topic,
                Optional.empty(), Traffic.RARE, Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        CatchUp catchUp = new CatchUp();
        try {
            catchUp.assign(consumer, topic, from, timeout);
        } catch (OutageRetry.Spent e) {
            consumer.close(Duration.ZERO);
            throw e; // the broker was away past the budget: the topic may well exist
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw new IllegalStateException(e.getMessage() + " (or set codetether.gateway.kafka.create-topics=true)",
                    e);
        }
        PollLoop<String, byte[]> loop = catchUp.loop(topic + "-" + instanceId, consumer, health, handler)
                .pollTimeout(RareLoops.POLL_TIMEOUT)
                .start();
        loops.add(loop);
        if (closed) {
            loop.close(); // closed while this start ran: close() may have missed it
            throw new IllegalStateException("the worker bus was closed while it started");
        }
        return catchUp;
    }

    /**
     * The producer, made by the start (on its own thread) or by a send that comes first: made in the constructor it
     * was a Kafka client's class loading on the gRPC server's event loop, which creates this bean (issue 19).
     */
    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            if (closed) {
                throw new IllegalStateException("the worker bus is closed");
            }
            // registrations and results are on a waiting agent's critical path: no linger (max.block.ms: the
            // platform's 10 s)
            producer = kafka.producer("gateway-" + instanceId + "-workers", Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public void publish(WorkerRegistration r) {
        send(Topics.WORKERS_REGISTRY, r.workerId(), r);
    }

    public void tombstone(String workerId) {
        producer().send(new ProducerRecord<>(Topics.WORKERS_REGISTRY, workerId, null), (m, e) -> {
            if (e != null) {
                LOG.errorf("cannot remove worker %s from the registry: %s", workerId, e.getMessage());
            }
        });
    }

    public void reply(WorkerCallReply reply) {
        send(Topics.WORKERS_RESULTS, reply.replyTo(), reply);
    }

    private void send(String topic, String key, Object value) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
        producer().send(new ProducerRecord<>(topic, key, bytes), (m, e) -> {
            if (e != null) {
                LOG.errorf("cannot publish to %s (key %s): %s", topic, key, e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        loops.forEach(PollLoop::close);
        KafkaProducer<String, byte[]> p;
        synchronized (this) {
            p = producer;
            producer = null;
        }
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
