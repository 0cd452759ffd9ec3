package run.codetether.swarm.infra.cognition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CognitionRecord;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.swarm.domain.cognition.CognitionException;
import run.codetether.swarm.domain.cognition.CognitionRuntime;
import run.codetether.swarm.domain.cognition.CognitionSink;

/**
 * Hosts the persona runtime behind Kafka. {@code cognition.commands} has one partition, read in one consumer group:
 * the replica that holds it owns the runtime, answers every command with a {@link CognitionRecord.Reply} and runs
 * the loop; the others wait. Everything the runtime produces goes to {@code cognition.events}: thoughts, snapshots,
 * and a {@link CognitionRecord.View} after each command and tick. A new owner restores personas and loop state from
 * the latest View on that topic, so cognition survives the loss of its replica.
 */
public final class KafkaCognitionService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaCognitionService.class);
    private static final String KEY = "cognition";
    /** How far back a new owner looks for the latest View (each tick writes one). */
    private static final long RESTORE_WINDOW = 5_000;

    private final String bootstrap;
    private final String groupId;
    private final String instanceId;
    private final boolean autoStart;
    private final KafkaProducer<String, Object> producer;
    private final CognitionRuntime runtime;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cognition-loop").daemon().factory());
    private KafkaConsumer<String, byte[]> commands;
    private Thread thread;
    private volatile boolean owner;
    private volatile boolean running = true;
    private volatile long nextTickNanos;

    public KafkaCognitionService(String bootstrap, String groupId, String instanceId, boolean autoStart,
            Function<CognitionSink, CognitionRuntime> runtimeFactory) {
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.autoStart = autoStart;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
        this.runtime = runtimeFactory.apply(new CognitionSink() {
            @Override
            public void event(ThoughtEvent event) {
                publish(new CognitionRecord.Thought(event));
            }

            @Override
            public void snapshot(MemorySnapshot snapshot) {
                publish(new CognitionRecord.Snapshot(snapshot));
            }
        });
    }

    public CognitionRuntime runtime() {
        return runtime;
    }

    public boolean owner() {
        return owner;
    }

    public KafkaCognitionService start() {
        commands = consumer(groupId);
        thread = Thread.ofPlatform().name("cognition-commands-" + instanceId).daemon().start(this::commandLoop);
        ticker.scheduleWithFixedDelay(this::maybeTick, 25, 25, TimeUnit.MILLISECONDS);
        return this;
    }

    private void commandLoop() {
        commands.subscribe(List.of(Topics.COGNITION_COMMANDS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                owner = false;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                if (!parts.isEmpty()) {
                    becomeOwner();
                }
            }
        });
        try {
            while (running) {
                var records = commands.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : records) {
                    handle(r);
                }
                if (!records.isEmpty()) {
                    commands.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            commands.close();
        }
    }

    private void becomeOwner() {
        restore();
        owner = true;
        if (autoStart && !runtime.running()) {
            try {
                runtime.start(null);
                LOG.infof("cognition auto-started on %s", instanceId);
            } catch (CognitionException e) {
                LOG.infof("cognition not auto-started: %s", e.getMessage());
            }
        }
        publishView();
    }

    private void restore() {
        try (KafkaConsumer<String, byte[]> reader = consumer(null)) {
            TopicPartition tp = new TopicPartition(Topics.COGNITION_EVENTS, 0);
            reader.assign(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            reader.seek(tp, Math.max(0, end - RESTORE_WINDOW));
            CognitionRecord.View latest = null;
            while (reader.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    try {
                        if (r.value() != null && ContractJson.read(r.value(), CognitionRecord.class)
                                instanceof CognitionRecord.View v) {
                            latest = v;
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("skipping unreadable cognition.events record at %d: %s", r.offset(), e.getMessage());
                    }
                }
            }
            if (latest != null) {
                runtime.restore(latest.personas(), latest.proposals(), latest.status());
                LOG.infof("cognition restored on %s from the view of %s (%d personas)", instanceId, latest.owner(),
                        latest.personas().size());
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        CognitionCommand cmd;
        try {
            cmd = ContractJson.read(r.value(), CognitionCommand.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping unreadable cognition command at offset %d: %s", r.offset(), e.getMessage());
            return;
        }
        publish(execute(cmd));
        publishView();
    }

    /** Runs one command against the runtime and turns the outcome, good or bad, into its reply. */
    CognitionRecord.Reply execute(CognitionCommand cmd) {
        String id = cmd.requestId();
        try {
            return switch (cmd) {
                case CognitionCommand.Start s -> {
                    var status = runtime.start(s.request());
                    nextTickNanos = System.nanoTime();
                    yield new CognitionRecord.Reply(id, 200, null, status, null, null);
                }
                case CognitionCommand.Stop s -> new CognitionRecord.Reply(id, 200, null, runtime.stop(s.request()), null, null);
                case CognitionCommand.CreatePersona c -> new CognitionRecord.Reply(id, 200, null, null,
                        runtime.createPersona(c.request()), null);
                case CognitionCommand.SpawnPersona s -> new CognitionRecord.Reply(id, 200, null, null,
                        runtime.spawn(s.parentId(), s.request()), null);
                case CognitionCommand.ReapPersona rp -> new CognitionRecord.Reply(id, 200, null, null, null,
                        runtime.reap(rp.personaId(), rp.request()));
            };
        } catch (CognitionException e) {
            return new CognitionRecord.Reply(id, e.kind().httpStatus, e.getMessage(), null, null, null);
        } catch (IllegalArgumentException e) {
            return new CognitionRecord.Reply(id, 400, e.getMessage(), null, null, null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cognition command %s failed", id);
            return new CognitionRecord.Reply(id, 500, "cognition command failed: " + e.getMessage(), null, null, null);
        }
    }

    private void maybeTick() {
        try {
            if (!owner || !runtime.running() || System.nanoTime() < nextTickNanos) {
                return;
            }
            nextTickNanos = System.nanoTime() + runtime.loopIntervalMs() * 1_000_000;
            runtime.tick();
            publishView();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cognition tick failed");
        }
    }

    private void publishView() {
        publish(new CognitionRecord.View(runtime.status(), runtime.personas(), runtime.lineage(), runtime.proposals(),
                instanceId, Instant.now(Clock.systemUTC())));
    }

    private void publish(CognitionRecord record) {
        producer.send(new ProducerRecord<>(Topics.COGNITION_EVENTS, KEY, record), (m, e) -> {
            if (e != null) {
                LOG.errorf("cannot publish %s to %s: %s", record.getClass().getSimpleName(), Topics.COGNITION_EVENTS,
                        e.getMessage());
            }
        });
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cognition-" + instanceId + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        owner = false;
        ticker.shutdownNow();
        if (commands != null) {
            commands.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
