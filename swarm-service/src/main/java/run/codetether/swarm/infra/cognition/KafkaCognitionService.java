package run.codetether.swarm.infra.cognition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.ReadToEnd;
import run.codetether.platform.kafka.Traffic;
import run.codetether.swarm.domain.cognition.CognitionException;
import run.codetether.swarm.domain.cognition.CognitionRuntime;
import run.codetether.swarm.domain.cognition.CognitionSink;

/**
 * Hosts the persona runtime behind Kafka. {@code cognition.commands} has one partition, read in one consumer group:
 * the replica that holds it owns the runtime, answers every command with a {@link CognitionRecord.Reply} and runs
 * the loop; the others wait. Everything the runtime produces goes to {@code cognition.events}: thoughts, snapshots,
 * and a {@link CognitionRecord.View} after each command and tick. A new owner restores personas and loop state from
 * the latest View on that topic, so cognition survives the loss of its replica. Commands are read by a platform
 * {@link PollLoop} (committed after each handled batch; a dead loop turns readiness down).
 *
 * <p>The loop's thread sleeps until it has work: while this replica does not own the runtime, while the runtime is
 * stopped, or once a tick found no active persona, it waits without a timer and publishes nothing, so an idle
 * cognition costs no CPU here nor in the gateways that read {@code cognition.events}. A command or a take-over
 * wakes it.
 */
public final class KafkaCognitionService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaCognitionService.class);
    private static final String KEY = "cognition";
    /** How far back a new owner looks for the latest View (each tick writes one). */
    private static final long RESTORE_WINDOW = 5_000;
    /** The default of {@code codetether.swarm.cognition.restore-timeout}. */
    public static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final LoopHealth health;
    private final String groupId;
    private final String instanceId;
    private final boolean autoStart;
    private final Duration restoreTimeout;
    private final KafkaProducer<String, Object> producer;
    private final CognitionRuntime runtime;
    private final Thread loop = Thread.ofPlatform().name("cognition-loop").daemon().unstarted(this::runLoop);
    /** Guards {@link #nextTickNanos}, {@link #idle} and {@link #changes}; the loop waits on it. */
    private final Object wake = new Object();
    private PollLoop<String, byte[]> commands;
    private volatile boolean owner;
    private volatile boolean running = true;
    private long nextTickNanos;
    /** The last tick advanced no persona: nothing to do until a command or a take-over changes that. */
    private boolean idle;
    /** Counts wake-ups, so a tick that found nothing does not sleep through a change made while it ran. */
    private long changes;

    /** On a plain bootstrap address, reporting to a health registry of its own (tests). */
    public KafkaCognitionService(String bootstrap, String groupId, String instanceId, boolean autoStart,
            Function<CognitionSink, CognitionRuntime> runtimeFactory) {
        this(new KafkaClients(KafkaSettings.of(bootstrap)), new LoopHealth(), groupId, instanceId, autoStart,
                DEFAULT_RESTORE_TIMEOUT, runtimeFactory);
    }

    /** @param restoreTimeout how long a new owner may take to read its state back ({@code cognition.restore-timeout}) */
    public KafkaCognitionService(KafkaClients clients, LoopHealth health, String groupId, String instanceId,
            boolean autoStart, Duration restoreTimeout, Function<CognitionSink, CognitionRuntime> runtimeFactory) {
        this.clients = clients;
        this.health = health;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.autoStart = autoStart;
        this.restoreTimeout = restoreTimeout;
        this.producer = clients.producer("cognition-" + instanceId, new StringSerializer(), new ContractSerializer());
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
        commands = PollLoop.builder("cognition-commands-" + instanceId, consumer(groupId))
                .onStart(c -> c.subscribe(List.of(Topics.COGNITION_COMMANDS), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                        owner = false; // the loop sees it before its next tick and goes back to waiting
                        // the last Views on the broker before the next owner reads them back (it reads to the end
                        // offsets of its start: a View still in this producer would be missed)
                        producer.flush();
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        if (!parts.isEmpty()) {
                            becomeOwner();
                        }
                    }
                }))
                .onRecord(this::handle)
                .commit(PollLoop.Commit.AFTER_BATCH)
                .pollTimeout(Duration.ofMillis(100))
                .health(health)
                .start();
        loop.start();
        return this;
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
        wakeLoop(true); // a restored or auto-started loop carries on at once
        publishView();
    }

    /**
     * The latest View among the newest {@link #RESTORE_WINDOW} records of {@code cognition.events}, read to the end
     * offset of the start within {@code restoreTimeout}: a broker that does not answer in time fails the take-over
     * loudly (the commands loop dies, readiness goes down) instead of holding the partition forever.
     */
    private void restore() {
        producer.flush(); // this replica's own Views, when it owned the runtime before a rebalance
        KafkaConsumer<String, byte[]> reader = consumer(null);
        try {
            CognitionRecord.View[] latest = {null};
            ReadToEnd.of(Topics.COGNITION_EVENTS + " (cognition restore)", reader, restoreTimeout)
                    .partitions(List.of(new TopicPartition(Topics.COGNITION_EVENTS, 0)))
                    .startAt(ReadToEnd.Start.last(RESTORE_WINDOW))
                    .forEach(r -> {
                        try {
                            if (r.value() != null && ContractJson.read(r.value(), CognitionRecord.class)
                                    instanceof CognitionRecord.View v) {
                                latest[0] = v;
                            }
                        } catch (RuntimeException e) {
                            LOG.warnf("skipping unreadable cognition.events record at %d: %s", r.offset(),
                                    e.getMessage());
                        }
                    });
            CognitionRecord.View view = latest[0];
            if (view != null) {
                runtime.restore(view.personas(), view.proposals(), view.proposalsDropped(), view.status());
                LOG.infof("cognition restored on %s from the view of %s (%d personas)", instanceId, view.owner(),
                        view.personas().size());
            }
        } finally {
            // no group, no offsets: nothing is lost by not waiting, where Kafka's default close waited up to 30 s
            // for a broker that did not answer, inside the take-over's rebalance callback
            reader.close(Duration.ZERO);
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
        wakeLoop(false);
    }

    /** Runs one command against the runtime and turns the outcome, good or bad, into its reply. */
    CognitionRecord.Reply execute(CognitionCommand cmd) {
        String id = cmd.requestId();
        try {
            return switch (cmd) {
                case CognitionCommand.Start s -> {
                    var status = runtime.start(s.request());
                    wakeLoop(true);
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

    /**
     * Tells the loop that something changed (a command, a take-over): it looks again whether there is work.
     *
     * @param now tick at once (a start) instead of at the time already planned
     */
    private void wakeLoop(boolean now) {
        synchronized (wake) {
            idle = false;
            changes++;
            if (now) {
                nextTickNanos = System.nanoTime();
            }
            wake.notifyAll();
        }
    }

    /** Ticks every loop interval while there is work; otherwise waits, with no timer, to be woken. */
    private void runLoop() {
        try {
            while (running) {
                awaitTick();
                if (running) {
                    tick();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private void awaitTick() throws InterruptedException {
        synchronized (wake) {
            while (running) {
                if (idle || !owner || !runtime.running()) {
                    wake.wait();
                    continue;
                }
                long waitNanos = nextTickNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, waitNanos);
            }
        }
    }

    private void tick() {
        long seen;
        synchronized (wake) {
            nextTickNanos = System.nanoTime() + runtime.loopIntervalMs() * 1_000_000;
            seen = changes;
        }
        try {
            if (runtime.tick() == 0) {
                synchronized (wake) {
                    // no active persona: nothing changes until a command says otherwise (unless one just did)
                    idle = changes == seen;
                }
                return;
            }
            publishView();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cognition tick failed");
        }
    }

    private void publishView() {
        publish(new CognitionRecord.View(runtime.status(), runtime.personas(), runtime.lineage(), runtime.proposals(),
                instanceId, Instant.now(Clock.systemUTC()), runtime.proposalsDropped()));
    }

    private void publish(CognitionRecord record) {
        producer.send(new ProducerRecord<>(Topics.COGNITION_EVENTS, KEY, record), (m, e) -> {
            if (e != null) {
                LOG.errorf("cannot publish %s to %s: %s", record.getClass().getSimpleName(), Topics.COGNITION_EVENTS,
                        e.getMessage());
            }
        });
    }

    /**
     * @param group the commands' group (commands are rare: the broker holds an empty fetch, so an idle owner does not
     *     fetch ten times a second), or null for the restore read, which seeks
     */
    private KafkaConsumer<String, byte[]> consumer(String group) {
        return clients.consumer("cognition-" + instanceId + "-" + UUID.randomUUID().toString().substring(0, 8),
                Optional.ofNullable(group), group == null ? Traffic.STEADY : Traffic.RARE, Map.of(),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        owner = false;
        loop.interrupt();
        if (commands != null) {
            commands.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
