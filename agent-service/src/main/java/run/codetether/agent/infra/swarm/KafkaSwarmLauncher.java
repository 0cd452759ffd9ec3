package run.codetether.agent.infra.swarm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.swarm.SwarmLauncher;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.TaskEventGate;

/**
 * {@link SwarmLauncher} on Kafka: commands go to {@code swarm.requested} keyed by swarmId; one reader thread,
 * started with the first watch, follows {@code swarm.state} from its beginning (compacted: the latest state of every
 * swarm, so a swarm that ended while no worker waited for it is still found) and {@code tasks.events} from its end
 * (live progress of the watched swarm tasks only; other records are skipped by key before decoding). Ended swarms
 * are remembered (the newest {@code rememberFinished}) so a watch opened later finds them. Thread-safe.
 *
 * <p>While no watch is open the {@code tasks.events} partitions rest ({@link TaskEventGate}, issue 18): an agent that
 * ran one swarm no longer fetches every task's events for good. A watch is registered with the topic's end offsets
 * read first and is opened before its swarm starts, so none of that swarm's progress lies before them.
 */
public final class KafkaSwarmLauncher implements SwarmLauncher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSwarmLauncher.class);

    private final KafkaClients kafka;
    private final int rememberFinished;
    private final Object lock = new Object();
    /** swarmId -> open watches. */
    private final Map<String, List<Queue>> bySwarm = new ConcurrentHashMap<>();
    /** swarm task id -> open watches (progress arrives keyed by task id). */
    private final Map<String, List<Queue>> byTask = new ConcurrentHashMap<>();
    private final Map<String, Update.Finished> finished;
    /** Records of {@code tasks.events} the reader fetched (tests: an idle watcher fetches none). */
    private final AtomicLong taskEventsRead = new AtomicLong();
    private KafkaProducer<String, byte[]> producer;
    private PollLoop<String, byte[]> reader;
    /** The reader's gate over its {@code tasks.events} partitions; one per reader (a replaced reader starts anew). */
    private TaskEventGate gate;
    /** Reads the end offsets of {@code tasks.events} for a registration, on the watching thread (under lock). */
    private KafkaConsumer<String, byte[]> endProbe;
    private List<TopicPartition> eventParts = List.of();

    public KafkaSwarmLauncher(String bootstrap, int rememberFinished) {
        this(KafkaClients.forBootstrap(bootstrap), rememberFinished);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaSwarmLauncher(KafkaClients kafka, int rememberFinished) {
        this.kafka = kafka;
        this.rememberFinished = rememberFinished;
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Update.Finished> eldest) {
                return size() > KafkaSwarmLauncher.this.rememberFinished;
            }
        };
    }

    @Override
    public Watch watch(String swarmId, String swarmTaskId) {
        Queue q = new Queue(swarmId, swarmTaskId);
        synchronized (lock) {
            ensureReader();
            KafkaConsumer<String, byte[]> probe = endProbe;
            List<TopicPartition> parts = eventParts;
            gate.register(() -> probe.endOffsets(parts, Duration.ofSeconds(30)), () -> {
                bySwarm.computeIfAbsent(swarmId, k -> new ArrayList<>()).add(q);
                byTask.computeIfAbsent(swarmTaskId, k -> new ArrayList<>()).add(q);
            });
            Update.Finished done = finished.get(swarmId);
            if (done != null) {
                q.updates.add(done);
            }
        }
        return q;
    }

    @Override
    public void start(SwarmCommand.StartSwarm command) {
        send(command);
    }

    @Override
    public void cancel(SwarmCommand.CancelSwarm command) {
        // the calling thread was interrupted (its task canceled): send with the flag cleared, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            send(command);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send(SwarmCommand command) {
        KafkaProducer<String, byte[]> p;
        synchronized (lock) {
            if (producer == null) {
                producer = kafka.producer("agent-swarm-" + UUID.randomUUID().toString().substring(0, 8),
                        Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new ByteArraySerializer());
            }
            p = producer;
        }
        try {
            p.send(new ProducerRecord<>(Topics.SWARM_REQUESTED, command.swarmId(), ContractJson.write(command)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing swarm command for " + command.swarmId());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + Topics.SWARM_REQUESTED + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    /**
     * Positions the reader before returning, so every progress event after the first watch is seen. A reader that
     * died (broker error) is replaced by the next watch; its replacement reads swarm.state from the start again.
     */
    private void ensureReader() {
        if (reader != null && reader.state() != PollLoop.State.FAILED && reader.state() != PollLoop.State.STOPPED) {
            return;
        }
        KafkaConsumer<String, byte[]> c = kafka.consumer("agent-swarm-watch-" + UUID.randomUUID().toString()
                .substring(0, 8), Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> states = partitions(c, Topics.SWARM_STATE);
        List<TopicPartition> events = partitions(c, Topics.TASKS_EVENTS);
        List<TopicPartition> all = new ArrayList<>(states);
        all.addAll(events);
        c.assign(all);
        c.seekToBeginning(states);
        c.seekToEnd(events);
        events.forEach(c::position);
        if (endProbe == null) {
            endProbe = kafka.consumer("agent-swarm-ends-" + UUID.randomUUID().toString().substring(0, 8),
                    Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
            endProbe.assign(events); // assigned: its end-offset reads are not logged as for foreign partitions
        }
        eventParts = events;
        TaskEventGate g = new TaskEventGate(byTask::isEmpty);
        gate = g;
        // positioned here, on the caller's thread, before the loop thread starts (Thread.start orders the two)
        reader = PollLoop.builder("agent-swarm-watch", c)
                .beforePoll(r -> g.beforePoll(r, events))
                .onRecord(this::onRecord)
                .onFailure(e -> LOG.warn("swarm watch reader stopped; the next swarm watch starts a new one"))
                .start();
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** An unreadable record is logged and skipped by the loop. */
    private void onRecord(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null || r.key() == null) {
            return;
        }
        if (r.topic().equals(Topics.SWARM_STATE)) {
            onState(r);
            return;
        }
        taskEventsRead.incrementAndGet();
        if (byTask.containsKey(r.key())) {
            onEvent(ContractJson.read(r.value(), TaskEvent.class));
        }
    }

    private void onState(ConsumerRecord<String, byte[]> r) {
        SwarmState s = ContractJson.read(r.value(), SwarmState.class);
        if (!s.phase().isFinished()) {
            return;
        }
        Update.Finished done = new Update.Finished(s.phase(), s.answer(), s.error());
        synchronized (lock) {
            finished.put(s.swarmId(), done);
            bySwarm.getOrDefault(s.swarmId(), List.of()).forEach(q -> q.updates.add(done));
        }
    }

    private void onEvent(TaskEvent event) {
        if (!(event instanceof TaskEvent.StatusChanged s) || s.status().state() != TaskState.WORKING
                || s.status().message() == null) {
            return; // the end comes from swarm.state, which also carries the answer
        }
        Update.Progress p = new Update.Progress(s.status().message().text(), s.metadata());
        synchronized (lock) {
            byTask.getOrDefault(event.taskId(), List.of()).forEach(q -> q.updates.add(p));
        }
    }

    /** Whether the reader rests on {@code tasks.events} (tests). */
    boolean taskEventsPaused() {
        synchronized (lock) {
            return gate != null && gate.paused();
        }
    }

    /** Records of {@code tasks.events} fetched so far (tests). */
    long taskEventsRead() {
        return taskEventsRead.get();
    }

    @Override
    public void close() {
        PollLoop<String, byte[]> r;
        KafkaProducer<String, byte[]> p;
        KafkaConsumer<String, byte[]> probe;
        synchronized (lock) { // field access only; the broker calls below run outside it
            r = reader;
            p = producer;
            probe = endProbe;
        }
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
        if (r != null) {
            r.close();
        }
        if (probe != null) {
            probe.close(Duration.ofSeconds(5));
        }
    }

    /** One open watch. */
    private final class Queue implements Watch {
        final String swarmId;
        final String taskId;
        final LinkedBlockingQueue<Update> updates = new LinkedBlockingQueue<>();

        Queue(String swarmId, String taskId) {
            this.swarmId = swarmId;
            this.taskId = taskId;
        }

        @Override
        public Update next(Duration max) throws InterruptedException {
            return updates.poll(max.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            synchronized (lock) {
                remove(bySwarm, swarmId);
                remove(byTask, taskId);
            }
        }

        private void remove(Map<String, List<Queue>> map, String key) {
            List<Queue> list = map.get(key);
            if (list != null) {
                list.remove(this);
                if (list.isEmpty()) {
                    map.remove(key);
                }
            }
        }
    }
}
